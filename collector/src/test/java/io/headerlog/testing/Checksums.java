package io.headerlog.testing;

/** The Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-headers of TCP, UDP and ICMPv6. */
public final class Checksums {
    private Checksums() {}

    /** One's complement sum of 16-bit big-endian words, not yet folded or inverted. */
    public static long sum(byte[] data, int offset, int length) {
        long sum = 0;
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (data[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits and inverts it: the value that goes into the checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    public static int checksum(byte[] data, int offset, int length) {
        return finish(sum(data, offset, length));
    }

    /** Sum of the pseudo-header for an upper-layer packet of {@code length} bytes (RFC 768/9293, RFC 8200 8.1). */
    public static long pseudoHeaderSum(byte[] src, byte[] dst, int protocol, int length) {
        long sum = sum(src, 0, src.length) + sum(dst, 0, dst.length) + protocol;
        if (src.length == 16) {
            sum += (length >>> 16) + (length & 0xffff);
        } else {
            sum += length;
        }
        return sum;
    }
}
