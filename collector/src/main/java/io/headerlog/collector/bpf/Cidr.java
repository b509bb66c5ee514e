package io.headerlog.collector.bpf;

import io.headerlog.collector.decode.AddressFormat;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address prefix of a kernel filter rule, in the form the filter trie stores it: 16 bytes and a
 * prefix length of 0..128 bits, IPv4 as IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}, length + 96), so one
 * trie holds both families.
 *
 * <p>{@link #parse} takes "198.18.0.0/15", "fd00::/8", or a single address ("198.18.0.1" is /32,
 * "fd00::1" is /128). It never resolves names: the address must be a literal. A prefix with bits set
 * beyond its length is refused rather than silently widened. Note that {@code ::/0} also covers IPv4,
 * whose addresses live under {@code ::ffff:0:0/96}.
 */
public final class Cidr {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final int V4_MAPPED_BITS = 96;

    private final byte[] trieAddress;
    private final int triePrefixLength;

    private Cidr(byte[] trieAddress, int triePrefixLength) {
        this.trieAddress = trieAddress;
        this.triePrefixLength = triePrefixLength;
    }

    /** Parses "address/length" or a single address; throws IllegalArgumentException saying what is wrong. */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address prefix; write e.g. 198.18.0.0/15 or fd00::/8");
        }
        String t = text.strip();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        byte[] trie = new byte[16];
        int maxBits;
        boolean v4;
        if (addressText.indexOf(':') >= 0) {
            // With a colon in it InetAddress parses an IPv6 literal and never asks DNS.
            InetAddress a;
            try {
                a = InetAddress.getByName(addressText);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an address prefix: " + addressText
                        + " is not an IPv6 address");
            }
            byte[] raw = a.getAddress();
            if (a instanceof Inet4Address) {
                // Java reads ::ffff:a.b.c.d as IPv4; keep it where the trie keeps IPv4 anyway.
                trie[10] = (byte) 0xff;
                trie[11] = (byte) 0xff;
                System.arraycopy(raw, 0, trie, 12, 4);
            } else {
                System.arraycopy(raw, 0, trie, 0, 16);
            }
            maxBits = 128;
            v4 = false;
        } else {
            Matcher m = IPV4.matcher(addressText);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not an address prefix; write e.g. 198.18.0.0/15,"
                        + " fd00::/8 or a single address (names are not resolved)");
            }
            trie[10] = (byte) 0xff;
            trie[11] = (byte) 0xff;
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(m.group(i + 1));
                if (octet > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IPv4 address prefix: " + octet
                            + " is not an octet (0..255)");
                }
                trie[12 + i] = (byte) octet;
            }
            maxBits = 32;
            v4 = true;
        }
        int bits = maxBits;
        if (slash >= 0) {
            String len = t.substring(slash + 1);
            if (!len.matches("\\d{1,3}") || Integer.parseInt(len) > maxBits) {
                throw new IllegalArgumentException("'" + text + "' has prefix length '" + len + "'; it must be 0.."
                        + maxBits);
            }
            bits = Integer.parseInt(len);
        }
        int trieBits = v4 ? bits + V4_MAPPED_BITS : bits;
        byte[] masked = mask(trie, trieBits);
        Cidr cidr = new Cidr(masked, trieBits);
        if (!Arrays.equals(masked, trie)) {
            throw new IllegalArgumentException("'" + text + "' has address bits set beyond its /" + bits
                    + " prefix; did you mean " + cidr + "?");
        }
        return cidr;
    }

    private static byte[] mask(byte[] address, int bits) {
        byte[] out = address.clone();
        for (int i = 0; i < 16; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    /** True when the prefix lies in the IPv4 space (::ffff:0:0/96 and longer). */
    public boolean isIpv4() {
        if (triePrefixLength < V4_MAPPED_BITS) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (trieAddress[i] != 0) {
                return false;
            }
        }
        return trieAddress[10] == (byte) 0xff && trieAddress[11] == (byte) 0xff;
    }

    /** The prefix length in its own family: 0..32 for IPv4, 0..128 for IPv6. */
    public int prefixLength() {
        return isIpv4() ? triePrefixLength - V4_MAPPED_BITS : triePrefixLength;
    }

    /** The network address: 4 bytes for IPv4, 16 for IPv6. */
    public byte[] address() {
        return isIpv4() ? Arrays.copyOfRange(trieAddress, 12, 16) : trieAddress.clone();
    }

    /** The key of this prefix in the filter trie: {@code struct hl_cidr_key}'s prefix length and address. */
    int triePrefixLength() {
        return triePrefixLength;
    }

    byte[] trieAddress() {
        return trieAddress.clone();
    }

    /** The canonical text: "198.18.0.0/15", "fd00::/8". */
    @Override
    public String toString() {
        return isIpv4() ? AddressFormat.ipv4(trieAddress, 12) + "/" + prefixLength()
                : AddressFormat.ipv6(trieAddress, 0) + "/" + prefixLength();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.triePrefixLength == triePrefixLength && Arrays.equals(c.trieAddress, trieAddress);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(trieAddress) + triePrefixLength;
    }
}
