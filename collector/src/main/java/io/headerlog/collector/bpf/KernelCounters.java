package io.headerlog.collector.bpf;

import com.sun.jna.Memory;

/**
 * The capture program's per-CPU counters ({@code enum hl_counter}), summed over all CPUs.
 *
 * <p>Every packet the program finished with is counted once in {@code seen} and once in exactly one of
 * {@code filtered} (the filter maps dropped it), {@code sampledOut} (consistent sampling dropped it),
 * {@code submitted} (its record is in the ring) or {@code ringbufFull} (the ring had no room), so
 * {@code seen == filtered + sampledOut + submitted + ringbufFull} ({@link #unaccounted()} is 0). A
 * read that races with packets in flight can see {@code seen} up to the number of CPUs ahead.
 *
 * <p>The others are informational, overlap with those and count packets that passed the filters
 * (sampled in or out): {@code l7Start} counts packets that start an HTTP/1.x, TLS hello or DNS
 * message, {@code l7Follow} TCP segments copied as L7 because they follow such a start,
 * {@code flowTableFull} IP packets missing from the flow counters because the flow table had no room
 * for their flow.
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
        long l7Follow,
        long filtered,
        long sampledOut,
        long flowTableFull) {

    /**
     * Reads and sums the counters map {@code hl_counters} through {@code countersFd}: one element per
     * possible CPU ({@code struct hl_cpu_counters}), {@code cpus} of them.
     */
    public static KernelCounters read(int countersFd, int cpus) {
        long[] sums = new long[EventLayout.CNT_MAX];
        Memory key = new Memory(4);
        Memory values = new Memory((long) EventLayout.CNT_STRIDE * Long.BYTES);
        for (int cpu = 0; cpu < cpus; cpu++) {
            key.setInt(0, cpu);
            int rc = LibBpf.bpf_map_lookup_elem(countersFd, key, values);
            if (rc < 0) {
                throw new BpfException("reading the capture counters of CPU " + cpu + " failed: "
                        + CaptureProgram.strerror(-rc), -rc);
            }
            for (int i = 0; i < sums.length; i++) {
                sums[i] += values.getLong((long) i * Long.BYTES);
            }
        }
        return of(sums);
    }

    /** All zero. */
    public static final KernelCounters ZERO = of(new long[EventLayout.CNT_MAX]);

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
                byIndex[EventLayout.CNT_L7_FOLLOW],
                byIndex[EventLayout.CNT_FILTERED],
                byIndex[EventLayout.CNT_SAMPLED_OUT],
                byIndex[EventLayout.CNT_FLOW_TABLE_FULL]);
    }

    /** Packets the filters let through: {@code seen - filtered}. */
    public long passedFilters() {
        return seen - filtered;
    }

    /** Packets selected for a record (in the ring or lost to a full ring): {@code submitted + ringbufFull}. */
    public long kept() {
        return submitted + ringbufFull;
    }

    /**
     * {@code seen - (filtered + sampledOut + submitted + ringbufFull)}: 0 once no packet is in flight; a
     * reading taken while packets are being processed may be up to the number of CPUs above 0.
     */
    public long unaccounted() {
        return seen - filtered - sampledOut - submitted - ringbufFull;
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
                l7Follow - earlier.l7Follow,
                filtered - earlier.filtered,
                sampledOut - earlier.sampledOut,
                flowTableFull - earlier.flowTableFull);
    }
}
