package io.headerlog.collector.bpf;

/**
 * The load-time knobs of the capture program ({@code struct hl_config}).
 *
 * @param snapLen       payload bytes copied per packet, 0..{@value EventLayout#SNAP_MAX}
 * @param ringBytes     ring buffer data size: a power of two, at least one page (the kernel's rule) and
 *                      at most {@value #MAX_RING_BYTES} (the reader views the twice-mapped data area as
 *                      one ByteBuffer, whose capacity is an int)
 * @param wakeupBytes   wake the reader early once this many bytes wait in the ring; 0 = never (the
 *                      reader then only sees records when its poll timeout expires), at most ringBytes
 * @param l7SnapLen     payload bytes copied for packets that carry application-layer headers (flag
 *                      {@link EventLayout#PF_L7}: an HTTP/1.x, TLS hello or DNS message starts there, or
 *                      a TCP segment follows such a start within {@code l7FollowBytes}),
 *                      0..{@value EventLayout#SNAP_MAX}; the larger of this and {@code snapLen} applies
 * @param l7FollowBytes after a TCP segment that starts an HTTP/1.x or TLS message, this many more payload
 *                      bytes of the same stream (same interface, direction, addresses and ports) are
 *                      copied with {@code l7SnapLen}, so header blocks spread over several segments can be
 *                      reassembled whole; 0 = off, at most {@value #MAX_L7_FOLLOW_BYTES}
 * @param sampleRate     consistent sampling: 1 keeps every packet; N keeps the IP packets whose
 *                       {@link EventLayout#PACKET_HASH packet hash} selects them, about 1 in N and the same
 *                       packets on every host (see {@code io.headerlog.collector.decode.PacketHash});
 *                       1..{@value EventLayout#SAMPLE_RATE_MAX}
 * @param keepTcpControl keep TCP segments with SYN, FIN or RST whatever their hash (recorded with rate 1)
 * @param keepL7         keep packets that carry application-layer headers ({@link EventLayout#PF_L7})
 *                       whatever their hash (recorded with rate 1)
 * @param flowEntries    capacity of each of the kernel's two flow tables (flows seen within one
 *                       {@link FlowTable#collect collection} interval); 0 turns flow counters off; at most
 *                       {@value #MAX_FLOW_ENTRIES}
 */
public record CaptureConfig(int snapLen, int ringBytes, int wakeupBytes, int l7SnapLen, int l7FollowBytes,
        int sampleRate, boolean keepTcpControl, boolean keepL7, int flowEntries) {

    public static final int DEFAULT_SNAP_LEN = 512;
    public static final int DEFAULT_RING_BYTES = 8 << 20;
    public static final int MAX_RING_BYTES = 1 << 29;
    /** Holds a 4 KB HTTP header block or a large TLS ClientHello in one record. */
    public static final int DEFAULT_L7_SNAP_LEN = 4096;
    /** Four full 4 KB header segments after the start; beyond that it is body, not headers. */
    public static final int DEFAULT_L7_FOLLOW_BYTES = 16384;
    /** A budget beyond this copies bulk data, not headers: the kernel ends every budget after 2 s anyway. */
    public static final int MAX_L7_FOLLOW_BYTES = 1 << 24;
    /** A flow table of this many flows takes about 10 MB of kernel memory when full. */
    public static final int DEFAULT_FLOW_ENTRIES = 65536;
    /** Entries are allocated as flows arrive; this bound keeps one table under about 600 MB. */
    public static final int MAX_FLOW_ENTRIES = 1 << 22;

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
        if (l7SnapLen < 0 || l7SnapLen > EventLayout.SNAP_MAX) {
            throw new IllegalArgumentException("L7 snap length must be 0.." + EventLayout.SNAP_MAX + " bytes, got "
                    + l7SnapLen);
        }
        if (l7FollowBytes < 0 || l7FollowBytes > MAX_L7_FOLLOW_BYTES) {
            throw new IllegalArgumentException("L7 follow budget must be 0 (off) .. " + MAX_L7_FOLLOW_BYTES
                    + " bytes, got " + l7FollowBytes);
        }
        if (sampleRate < 1 || sampleRate > EventLayout.SAMPLE_RATE_MAX) {
            throw new IllegalArgumentException("sample rate must be 1 (keep every packet) .. " + EventLayout.SAMPLE_RATE_MAX
                    + " (keep 1 in N), got " + sampleRate);
        }
        if (flowEntries < 0 || flowEntries > MAX_FLOW_ENTRIES) {
            throw new IllegalArgumentException("flow table size must be 0 (no flow counters) .. " + MAX_FLOW_ENTRIES
                    + " flows, got " + flowEntries);
        }
    }

    /**
     * The given knobs with sampling off (rate 1; TCP control and L7 packets would be kept regardless)
     * and {@value #DEFAULT_FLOW_ENTRIES}-flow tables.
     */
    public CaptureConfig(int snapLen, int ringBytes, int wakeupBytes, int l7SnapLen, int l7FollowBytes) {
        this(snapLen, ringBytes, wakeupBytes, l7SnapLen, l7FollowBytes, 1, true, true, DEFAULT_FLOW_ENTRIES);
    }

    /** The given knobs with the L7 ones at their defaults (4 KiB L7 prefixes, a 16 KiB follow budget). */
    public CaptureConfig(int snapLen, int ringBytes, int wakeupBytes) {
        this(snapLen, ringBytes, wakeupBytes, DEFAULT_L7_SNAP_LEN, DEFAULT_L7_FOLLOW_BYTES);
    }

    /**
     * 512-byte prefixes (4 KiB for application-layer headers, 16 KiB followed after a TCP start), an
     * 8 MiB ring, an early wakeup once a quarter of it is full, every packet kept (rate 1) and
     * {@value #DEFAULT_FLOW_ENTRIES}-flow tables.
     */
    public static CaptureConfig defaults() {
        return new CaptureConfig(DEFAULT_SNAP_LEN, DEFAULT_RING_BYTES, DEFAULT_RING_BYTES / 4);
    }

    /** Same knobs with another ring size; the wakeup threshold keeps its fraction of the ring. */
    public CaptureConfig withRingBytes(int bytes) {
        long wakeup = wakeupBytes == 0 ? 0 : (long) wakeupBytes * bytes / ringBytes;
        return new CaptureConfig(snapLen, bytes, (int) wakeup, l7SnapLen, l7FollowBytes, sampleRate, keepTcpControl,
                keepL7, flowEntries);
    }

    /** Same knobs with another snap length for all packets; the L7 ones stay. */
    public CaptureConfig withSnapLen(int bytes) {
        return new CaptureConfig(bytes, ringBytes, wakeupBytes, l7SnapLen, l7FollowBytes, sampleRate, keepTcpControl,
                keepL7, flowEntries);
    }

    /** Same knobs with other L7 ones; {@code withL7(0, 0)} copies L7 packets like any other. */
    public CaptureConfig withL7(int snapBytes, int followBytes) {
        return new CaptureConfig(snapLen, ringBytes, wakeupBytes, snapBytes, followBytes, sampleRate, keepTcpControl,
                keepL7, flowEntries);
    }

    /** Same knobs with consistent sampling at 1 in {@code rate} (1 = keep every packet). */
    public CaptureConfig withSampleRate(int rate) {
        return new CaptureConfig(snapLen, ringBytes, wakeupBytes, l7SnapLen, l7FollowBytes, rate, keepTcpControl,
                keepL7, flowEntries);
    }

    /** Same knobs with other choices of what sampling never drops. */
    public CaptureConfig withKeep(boolean tcpControl, boolean l7) {
        return new CaptureConfig(snapLen, ringBytes, wakeupBytes, l7SnapLen, l7FollowBytes, sampleRate, tcpControl, l7,
                flowEntries);
    }

    /** Same knobs with flow tables of {@code entries} flows (0 = no flow counters). */
    public CaptureConfig withFlowEntries(int entries) {
        return new CaptureConfig(snapLen, ringBytes, wakeupBytes, l7SnapLen, l7FollowBytes, sampleRate, keepTcpControl,
                keepL7, entries);
    }

    /**
     * {@code hl_config.flow_slots}: per-CPU flow slots in front of each flow table (capture.h, "Flow
     * counters"), a sixteenth of {@link #flowEntries} rounded down to a power of two, at most
     * {@value EventLayout#FLOW_SLOTS_MAX}; 0 below 16 entries, so a tiny table stays the whole capacity.
     */
    public int flowSlots() {
        return flowEntries < 16 ? 0 : Math.min(EventLayout.FLOW_SLOTS_MAX, Integer.highestOneBit(flowEntries / 16));
    }

    /** {@code hl_config.keep_flags}: {@link EventLayout#KEEPF_TCP_CONTROL} | {@link EventLayout#KEEPF_L7}. */
    public int keepFlags() {
        return (keepTcpControl ? EventLayout.KEEPF_TCP_CONTROL : 0) | (keepL7 ? EventLayout.KEEPF_L7 : 0);
    }

    static int pageSize() {
        return PageSize.VALUE;
    }

    private static final class PageSize {
        static final int VALUE = LibC.INSTANCE.getpagesize();
    }
}
