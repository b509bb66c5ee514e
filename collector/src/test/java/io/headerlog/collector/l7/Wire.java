package io.headerlog.collector.l7;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A growable big-endian byte writer for building protocol messages in tests. It remembers where
 * every length field it patched sits, so the fuzz test can corrupt exactly those.
 */
final class Wire {
    private byte[] b = new byte[256];
    private int n;
    /** Offsets of length fields, encoded as offset * 4 + width in bytes. */
    private final List<Integer> lengthFields = new ArrayList<>();

    int size() {
        return n;
    }

    Wire u8(int v) {
        ensure(1);
        b[n++] = (byte) v;
        return this;
    }

    Wire u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    Wire u24(int v) {
        return u8(v >>> 16).u8(v >>> 8).u8(v);
    }

    Wire u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    Wire bytes(byte[] v) {
        ensure(v.length);
        System.arraycopy(v, 0, b, n, v.length);
        n += v.length;
        return this;
    }

    Wire hex(String h) {
        return bytes(HexFormat.of().parseHex(h));
    }

    Wire ascii(String s) {
        return bytes(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    Wire zeros(int count) {
        return bytes(new byte[count]);
    }

    /** Reserves a length field of the given width; {@link #close(int)} fills it in. */
    int open(int width) {
        int at = n;
        for (int i = 0; i < width; i++) {
            u8(0);
        }
        lengthFields.add(at * 4 + width);
        return at;
    }

    /** Sets the length field reserved at {@code at} to the bytes written since it. */
    Wire close(int at) {
        int width = lengthFields.stream().filter(f -> f / 4 == at).findFirst().orElseThrow() % 4;
        int len = n - at - width;
        for (int i = width - 1; i >= 0; i--) {
            b[at + i] = (byte) (len >>> (8 * (width - 1 - i)));
        }
        return this;
    }

    /** Marks an already-written field as a length field (e.g. DNS section counts). */
    Wire markLength(int at, int width) {
        lengthFields.add(at * 4 + width);
        return this;
    }

    void set16(int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    byte[] toBytes() {
        return Arrays.copyOf(b, n);
    }

    int[] lengthFields() {
        return lengthFields.stream().mapToInt(Integer::intValue).toArray();
    }

    private void ensure(int more) {
        if (n + more > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
        }
    }
}
