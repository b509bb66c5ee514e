package io.headerlog.collector.bpf;

/**
 * The capture program's per-CPU counters ({@code enum hl_counter}), summed over all CPUs.
 * {@code seen == submitted + ringbufFull} holds for every packet the program finished with; a read
 * that races with packets in flight can see {@code seen} up to the number of CPUs ahead. The others
 * are informational and overlap with those: {@code l7Start} counts packets that start an HTTP/1.x, TLS
 * hello or DNS message, {@code l7Follow} TCP segments copied as L7 because they follow such a start.
 */
public record KernelCounters(
        long seen,
        long submitted,
        long ringbufFull,
        long loadFailed,
        long truncated,
        long ipv6ExtLimit,
        long nonIp,
        long snapCut,
        long l7Start,
        long l7Follow) {

    /** From the counters in {@code enum hl_counter} order. */
    public static KernelCounters of(long[] byIndex) {
        if (byIndex.length != EventLayout.CNT_MAX) {
            throw new IllegalArgumentException("expected " + EventLayout.CNT_MAX + " counters, got " + byIndex.length);
        }
        return new KernelCounters(
                byIndex[EventLayout.CNT_SEEN],
                byIndex[EventLayout.CNT_SUBMITTED],
                byIndex[EventLayout.CNT_RINGBUF_FULL],
                byIndex[EventLayout.CNT_LOAD_FAILED],
                byIndex[EventLayout.CNT_TRUNCATED],
                byIndex[EventLayout.CNT_IPV6_EXT_LIMIT],
                byIndex[EventLayout.CNT_NON_IP],
                byIndex[EventLayout.CNT_SNAP_CUT],
                byIndex[EventLayout.CNT_L7_START],
                byIndex[EventLayout.CNT_L7_FOLLOW]);
    }

    /** The increase since an earlier reading (counters only grow while the program is loaded). */
    public KernelCounters minus(KernelCounters earlier) {
        return new KernelCounters(
                seen - earlier.seen,
                submitted - earlier.submitted,
                ringbufFull - earlier.ringbufFull,
                loadFailed - earlier.loadFailed,
                truncated - earlier.truncated,
                ipv6ExtLimit - earlier.ipv6ExtLimit,
                nonIp - earlier.nonIp,
                snapCut - earlier.snapCut,
                l7Start - earlier.l7Start,
                l7Follow - earlier.l7Follow);
    }
}
