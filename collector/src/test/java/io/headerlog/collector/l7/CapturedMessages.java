package io.headerlog.collector.l7;

import java.util.HexFormat;

/**
 * Payloads captured from real clients and servers on the loopback of a private network namespace
 * (tcpdump), with what tshark 4.0 dissected in them — the expected values of the tests that use
 * them:
 * <ul>
 *   <li>dig 9.18 asking dnsmasq 2.90 for {@code alias.example.test A} (a CNAME to
 *       {@code www.example.test} → 198.18.0.10) and {@code v6.example.test AAAA} (fd00::10);</li>
 *   <li>curl 7.88.1 / OpenSSL 3.0 connecting to {@code openssl s_server -alpn h2,http/1.1} as
 *       https://test.example:8443/: its ClientHello (517 bytes, SNI test.example, ALPN h2,http/1.1,
 *       supported_versions 1.3–1.0, 31 cipher suites) and the first record of the server's reply, a
 *       TLS 1.3 ServerHello (TLS_AES_256_GCM_SHA384, 0x1302).</li>
 * </ul>
 */
final class CapturedMessages {
    private CapturedMessages() {}

    /** id 0x57a2, flags 0x0120 (RD, AD), 1 question, 1 additional (OPT, udp 1232). */
    static final String DIG_QUERY_A =
            "57a20120000100000000000105616c696173076578616d706c650474657374000001000100002904d0000000000000";

    /** id 0x57a2, flags 0x8580 (QR AA RD RA): alias.example.test CNAME www.example.test (pointer
     *  into the question), www.example.test A 198.18.0.10, TTL 0; 1 additional. */
    static final String DNSMASQ_RESPONSE_CNAME_A =
            "57a28580000100020000000105616c696173076578616d706c6504746573740000010001c00c000500010000000000120377" +
            "7777076578616d706c65047465737400c03000010001000000000004c612000a00002904d0000000000000";

    /** id 0x0b96, v6.example.test AAAA, with an EDNS cookie option. */
    static final String DIG_QUERY_AAAA =
            "0b9601200001000000000001027636076578616d706c65047465737400001c000100002904d000000000000c000a0008a103" +
            "52054ccc0407";

    /** id 0x0b96: v6.example.test AAAA fd00::10. */
    static final String DNSMASQ_RESPONSE_AAAA =
            "0b9685800001000100000001027636076578616d706c65047465737400001c0001c00c001c0001000000000010fd00000000" +
            "000000000000000000001000002904d0000000000000";

    /** The ClientHello without the padding extension's 177 zero bytes (see {@link #curlClientHello()}). */
    private static final String CURL_CLIENT_HELLO_BEFORE_PADDING =
            "1603010200010001fc0303e4d34b3099efb6ede59d77af55cd470f969d01abbac136295b851f3f40135f33207005aac8b1c4" +
            "f5c267991fb1b6a91cdd4fbd8c7cd606c2ae1908b049eeaf5151003e130213031301c02cc030009fcca9cca8ccaac02bc02f" +
            "009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff0100017500000011000f" +
            "00000c746573742e6578616d706c65000b000403000102000a00160014001d0017001e001900180100010101020103010400" +
            "10000e000c02683208687474702f312e31001600000017000000310000000d002a0028040305030603080708080809080a08" +
            "0b080408050806040105010601030303010302040205020602002b0009080304030303020301002d00020101003300260024" +
            "001d0020b078c088d78903f4a67561e96eef21bff84bc5fd4276270282f47b7c031c5314001500b1";

    /** The ServerHello record (127 bytes) that began the server's first segment. */
    static final String SERVER_HELLO_TLS13 =
            "160303007a0200007603036fa19e31f8caa93774b0050721ad33f30e363cb588f52451ddf776f8b8a50a25207005aac8b1c4" +
            "f5c267991fb1b6a91cdd4fbd8c7cd606c2ae1908b049eeaf5151130200002e002b0002030400330024001d0020208fa09b20" +
            "66bc47b325b713161965f1a646172d95aa240cb4c07dd811691362";

    static byte[] curlClientHello() {
        return bytes(CURL_CLIENT_HELLO_BEFORE_PADDING + "00".repeat(177));
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
