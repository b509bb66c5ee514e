package io.headerlog.tools.view;

import java.util.Locale;
import java.util.Map;

/**
 * Names for numbers the records carry as sent on the wire (DNS rcodes, TLS versions and cipher
 * suites). The tables hold only what a reader meets daily; anything else is shown as its number,
 * so an unknown value is never mistaken for a known one.
 */
public final class WireNames {
    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

    private static final Map<Integer, String> CIPHER_SUITES = Map.ofEntries(
            Map.entry(0x1301, "TLS_AES_128_GCM_SHA256"),
            Map.entry(0x1302, "TLS_AES_256_GCM_SHA384"),
            Map.entry(0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
            Map.entry(0x1304, "TLS_AES_128_CCM_SHA256"),
            Map.entry(0x1305, "TLS_AES_128_CCM_8_SHA256"),
            Map.entry(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));

    private WireNames() {
    }

    /** NOERROR … REFUSED for rcodes 0..5 (RFC 1035, 2136 names), else {@code RCODE<n>}. */
    public static String dnsRcode(int rcode) {
        return rcode >= 0 && rcode < RCODES.length ? RCODES[rcode] : "RCODE" + rcode;
    }

    /** 1.0 … 1.3 for 0x0301..0x0304, else the number as {@code 0x%04x}. */
    public static String tlsVersion(int version) {
        return switch (version) {
            case 0x0304 -> "1.3";
            case 0x0303 -> "1.2";
            case 0x0302 -> "1.1";
            case 0x0301 -> "1.0";
            default -> hex(version);
        };
    }

    /** The IANA name of a common cipher suite, else the number as {@code 0x%04x}. */
    public static String tlsCipherSuite(int suite) {
        String name = CIPHER_SUITES.get(suite);
        return name != null ? name : hex(suite);
    }

    private static String hex(int value) {
        return String.format(Locale.ROOT, "0x%04x", value);
    }
}
