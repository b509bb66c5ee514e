package io.headerlog.collector.l7;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Absolute reads from a ByteBuffer for the application-layer parsers. Every multi-byte value on
 * these protocols is big-endian, and callers hand in buffers of either byte order (the ring record
 * is host order), so values are assembled byte by byte instead of trusting {@code buf.order()}.
 */
final class Bytes {
    private Bytes() {}

    /**
     * How many bytes of {@code [off, off + len)} may really be read: the caller's length cut to the
     * buffer's limit. A parser that reads only inside this never throws IndexOutOfBounds, whatever
     * the caller passed.
     *
     * @return the readable length (0 when len ≤ 0), or -1 when buf is null or off lies outside it
     */
    static int readable(ByteBuffer buf, int off, int len) {
        if (buf == null || off < 0 || off > buf.limit()) {
            return -1;
        }
        if (len <= 0) {
            return 0;
        }
        return Math.min(len, buf.limit() - off);
    }

    static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    static int u16(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 8) | (b.get(at + 1) & 0xff);
    }

    static int u24(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 16) | ((b.get(at + 1) & 0xff) << 8) | (b.get(at + 2) & 0xff);
    }

    static long u32(ByteBuffer b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    static int indexOf(ByteBuffer b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b.get(i) == value) {
                return i;
            }
        }
        return -1;
    }

    /** Bytes {@code [from, to)} as ISO-8859-1 text: one char per byte, so no byte can fail to decode. */
    static String latin1(ByteBuffer b, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return "";
        }
        if (b.hasArray()) {
            return new String(b.array(), b.arrayOffset() + from, n, StandardCharsets.ISO_8859_1);
        }
        byte[] copy = new byte[n];
        b.get(from, copy, 0, n);
        return new String(copy, StandardCharsets.ISO_8859_1);
    }

    /** Bytes {@code [from, to)} copied out, for the address formatters that take arrays. */
    static byte[] copy(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        b.get(from, out, 0, out.length);
        return out;
    }
}
