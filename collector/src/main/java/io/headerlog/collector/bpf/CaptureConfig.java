package io.headerlog.collector.bpf;

/**
 * The load-time knobs of the capture program.
 *
 * @param snapLen     payload bytes copied per packet, 0..{@value EventLayout#SNAP_MAX}
 * @param ringBytes   ring buffer data size: a power of two, at least one page (the kernel's rule) and
 *                    at most {@value #MAX_RING_BYTES} (the reader views the twice-mapped data area as
 *                    one ByteBuffer, whose capacity is an int)
 * @param wakeupBytes wake the reader early once this many bytes wait in the ring; 0 = never (the
 *                    reader then only sees records when its poll timeout expires), at most ringBytes
 */
public record CaptureConfig(int snapLen, int ringBytes, int wakeupBytes) {

    public static final int DEFAULT_SNAP_LEN = 512;
    public static final int DEFAULT_RING_BYTES = 8 << 20;
    public static final int MAX_RING_BYTES = 1 << 29;

    public CaptureConfig {
        if (snapLen < 0 || snapLen > EventLayout.SNAP_MAX) {
            throw new IllegalArgumentException("snap length must be 0.." + EventLayout.SNAP_MAX + " bytes, got " + snapLen);
        }
        int page = pageSize();
        if (ringBytes < page || Integer.bitCount(ringBytes) != 1) {
            throw new IllegalArgumentException("ring buffer size must be a power of two of at least one page ("
                    + page + " bytes), got " + ringBytes);
        }
        if (ringBytes > MAX_RING_BYTES) {
            throw new IllegalArgumentException("ring buffer size must be at most 512 MiB, got " + ringBytes);
        }
        if (wakeupBytes < 0 || wakeupBytes > ringBytes) {
            throw new IllegalArgumentException("wakeup threshold must be 0 (never) .. the ring size " + ringBytes
                    + " bytes, got " + wakeupBytes);
        }
    }

    /** 512-byte prefixes, an 8 MiB ring, and an early wakeup once a quarter of it is full. */
    public static CaptureConfig defaults() {
        return new CaptureConfig(DEFAULT_SNAP_LEN, DEFAULT_RING_BYTES, DEFAULT_RING_BYTES / 4);
    }

    /** Same knobs with another ring size; the wakeup threshold keeps its fraction of the ring. */
    public CaptureConfig withRingBytes(int bytes) {
        long wakeup = wakeupBytes == 0 ? 0 : (long) wakeupBytes * bytes / ringBytes;
        return new CaptureConfig(snapLen, bytes, (int) wakeup);
    }

    static int pageSize() {
        return PageSize.VALUE;
    }

    private static final class PageSize {
        static final int VALUE = LibC.INSTANCE.getpagesize();
    }
}
