package io.headerlog.collector.reassembly;

import java.nio.ByteBuffer;

/**
 * The bytes of one application message collected so far on one stream, as the reassembler holds them.
 * The caller reads {@code bytes()[0 .. length())} — the contiguous bytes from the message's first
 * byte — after each segment and decides whether the message is complete.
 *
 * <p>This is a live view, not a copy: it changes with the next segment of its stream and must not be
 * kept after {@link StreamReassembler#finish} or {@link StreamReassembler#advance}. Views handed out
 * through {@link StreamReassembler.Expired} are detached from the reassembler and stay as they are.
 */
public final class PartialMessage {

    /** Whether more bytes can still extend {@link #length()}, and if not, why. */
    public enum Ending {
        /** More bytes may arrive. */
        OPEN,
        /** The message limit is reached: later bytes are not kept. */
        LIMIT,
        /**
         * The contiguous bytes end where a segment was seen whose bytes the kernel did not copy (its
         * captured length was below its wire length: the snap length cut it). Those bytes never come.
         */
        SNAP_GAP,
        /** The contiguous bytes reach the sender's FIN: the stream has no more bytes. */
        FIN,
        /** A RST was seen on the stream: it is aborted. */
        RST,
        /** A SYN was seen on the stream: the 5-tuple now carries a new connection. */
        SYN
    }

    private final StreamKey key;
    private final ByteRanges ranges = new ByteRanges();
    private long startSeq;
    private byte[] bytes;
    private ByteBuffer view;
    private int segments;
    private long startMonoNs;
    private long lastMonoNs;
    private int snapGapAt = -1;
    private long finAt = -1;
    private boolean reset;
    private boolean syn;
    private final int limit;

    PartialMessage(StreamKey key, long startSeq, long monoNs, int limit) {
        this.key = key;
        this.startSeq = startSeq & 0xFFFF_FFFFL;
        this.startMonoNs = monoNs;
        this.lastMonoNs = monoNs;
        this.limit = limit;
        this.bytes = EMPTY;
    }

    private static final byte[] EMPTY = new byte[0];

    public StreamKey key() {
        return key;
    }

    /** The buffer; positions {@code [0, length())} hold the message's contiguous bytes. */
    public byte[] bytes() {
        return bytes;
    }

    /** A read-only ByteBuffer over {@link #bytes()} (same positions; read with absolute gets). */
    public ByteBuffer buffer() {
        if (view == null) {
            view = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }
        return view;
    }

    /** Contiguous bytes from the message's first byte. */
    public int length() {
        return ranges.contiguous();
    }

    /** TCP sequence number of the message's first byte (unsigned 32-bit). */
    public long startSeq() {
        return startSeq;
    }

    /** Segments that contributed new bytes to this message. */
    public int segments() {
        return segments;
    }

    /** Capture time (CLOCK_MONOTONIC ns) of the segment the message began with. */
    public long startMonoNs() {
        return startMonoNs;
    }

    /** Capture time of the last segment that added a new byte. */
    public long lastMonoNs() {
        return lastMonoNs;
    }

    public Ending ending() {
        if (reset) {
            return Ending.RST;
        }
        if (syn) {
            return Ending.SYN;
        }
        int contiguous = ranges.contiguous();
        if (contiguous >= limit) {
            return Ending.LIMIT;
        }
        if (snapGapAt >= 0 && contiguous >= snapGapAt) {
            return Ending.SNAP_GAP;
        }
        if (finAt >= 0 && contiguous >= finAt) {
            return Ending.FIN;
        }
        return Ending.OPEN;
    }

    /** Whether more bytes can still extend {@link #length()}. */
    public boolean canGrow() {
        return ending() == Ending.OPEN;
    }

    // ---- state changes, driven by StreamReassembler on its thread ----

    ByteRanges ranges() {
        return ranges;
    }

    int capacity() {
        return bytes.length;
    }

    int limit() {
        return limit;
    }

    boolean aborted() {
        return reset || syn;
    }

    void markReset() {
        reset = true;
    }

    void markSyn() {
        syn = true;
    }

    /** The stream ends after position {@code end} (a FIN); the earliest FIN seen counts. */
    void markFin(long end) {
        long at = Math.max(0, end);
        finAt = finAt < 0 ? at : Math.min(finAt, at);
    }

    /** @return whether this created the message's first snap gap */
    boolean markSnapGap(int at) {
        boolean first = snapGapAt < 0;
        snapGapAt = first ? at : Math.min(snapGapAt, at);
        return first;
    }

    void grow(int newCapacity) {
        byte[] grown = new byte[newCapacity];
        System.arraycopy(bytes, 0, grown, 0, highestStored());
        bytes = grown;
        view = null;
    }

    /**
     * Copies the positions of {@code [from, to)} that have not arrived yet from {@code src} (where
     * position {@code from} is at {@code srcOff}) and marks the range as arrived. The earlier copy of
     * any byte wins. Capacity must already cover {@code to}.
     */
    void write(int from, int to, ByteBuffer src, int srcOff, long monoNs) {
        int pos = from;
        for (int i = 0; i < ranges.count() && pos < to; i++) {
            int s = ranges.start(i);
            int e = ranges.end(i);
            if (e <= pos) {
                continue;
            }
            if (s >= to) {
                break;
            }
            if (s > pos) {
                src.get(srcOff + (pos - from), bytes, pos, s - pos);
            }
            pos = Math.max(pos, e);
        }
        if (pos < to) {
            src.get(srcOff + (pos - from), bytes, pos, to - pos);
        }
        ranges.add(from, to);
        segments++;
        lastMonoNs = monoNs;
        if (snapGapAt >= 0 && ranges.firstMissingFrom(snapGapAt) != snapGapAt) {
            snapGapAt = -1; // another copy filled the hole after all
        }
    }

    /**
     * Drops the first {@code n} contiguous bytes: the message now starts at what followed them (the
     * next pipelined message), beginning at {@code monoNs}.
     */
    void dropPrefix(int n, long monoNs) {
        int stored = highestStored();
        System.arraycopy(bytes, n, bytes, 0, stored - n);
        ranges.dropPrefix(n);
        startSeq = (startSeq + n) & 0xFFFF_FFFFL;
        if (snapGapAt >= 0) {
            snapGapAt -= n;
        }
        if (finAt >= 0) {
            finAt = Math.max(0, finAt - n);
        }
        // which earlier segments the remaining bytes came from is not tracked; the current one is
        segments = ranges.contiguous() > 0 ? 1 : 0;
        startMonoNs = monoNs;
        lastMonoNs = monoNs;
    }

    /** Whether any byte of the message is held (contiguous or beyond a gap). */
    boolean holdsBytes() {
        return ranges.count() > 0;
    }

    private int highestStored() {
        int n = ranges.count();
        return n == 0 ? 0 : ranges.end(n - 1);
    }

    @Override
    public String toString() {
        // never the bytes: they are payload and may hold secrets
        return "PartialMessage[" + key + " seq=" + startSeq + " length=" + length() + " ranges=" + ranges
                + " segments=" + segments + " ending=" + ending() + "]";
    }
}
