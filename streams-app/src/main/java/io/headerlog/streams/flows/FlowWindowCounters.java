package io.headerlog.streams.flows;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of the flows.summary branch in one running instance, summed over its tasks. Stream threads
 * write, a status or stats thread reads; plain atomics, each number read on its own.
 *
 * <p>Every header record that reaches the branch ends in exactly one of {@link #headerRecords},
 * {@link #skippedCopies}, {@link #skippedUnkeyed} or {@link #lateHeaderRecords}; every flows.raw
 * record in {@link #flowRecords} or {@link #lateFlowRecords}. Late exact counters are not lost
 * silently: {@link #lateFlowPackets} and {@link #lateFlowBytes} say how much of flows.raw the
 * summaries miss, so the two topics can be reconciled.
 */
public final class FlowWindowCounters {
    private final AtomicLong headerRecords = new AtomicLong();
    private final AtomicLong skippedCopies = new AtomicLong();
    private final AtomicLong skippedUnkeyed = new AtomicLong();
    private final AtomicLong lateHeaderRecords = new AtomicLong();
    private final AtomicLong flowRecords = new AtomicLong();
    private final AtomicLong lateFlowRecords = new AtomicLong();
    private final AtomicLong lateFlowPackets = new AtomicLong();
    private final AtomicLong lateFlowBytes = new AtomicLong();
    private final AtomicLong windowsEmitted = new AtomicLong();
    private final AtomicLong windowsEvicted = new AtomicLong();
    private final AtomicLong openWindows = new AtomicLong();

    void recordHeader() {
        headerRecords.incrementAndGet();
    }

    void recordSkippedCopy() {
        skippedCopies.incrementAndGet();
    }

    void recordSkippedUnkeyed() {
        skippedUnkeyed.incrementAndGet();
    }

    void recordLateHeader() {
        lateHeaderRecords.incrementAndGet();
    }

    void recordFlow() {
        flowRecords.incrementAndGet();
    }

    void recordLateFlow(long packets, long bytes) {
        lateFlowRecords.incrementAndGet();
        lateFlowPackets.addAndGet(packets);
        lateFlowBytes.addAndGet(bytes);
    }

    void recordOpened(long windows) {
        openWindows.addAndGet(windows);
    }

    void recordEmitted() {
        windowsEmitted.incrementAndGet();
    }

    void recordEvicted() {
        windowsEvicted.incrementAndGet();
    }

    /** Header records counted into an estimate. */
    public long headerRecords() {
        return headerRecords.get();
    }

    /** Header records skipped because they repeat a packet for a further application message (appMessageIndex > 0). */
    public long skippedCopies() {
        return skippedCopies.get();
    }

    /** Records skipped because they have no flow to count in: headers that are not IP or have no Community ID, tombstones. */
    public long skippedUnkeyed() {
        return skippedUnkeyed.get();
    }

    /** Header records whose window had already closed (grace passed, or closed early by eviction). */
    public long lateHeaderRecords() {
        return lateHeaderRecords.get();
    }

    /** flows.raw records whose exact counters went into a window. */
    public long flowRecords() {
        return flowRecords.get();
    }

    /** flows.raw records whose window had already closed: their counters are in no summary. */
    public long lateFlowRecords() {
        return lateFlowRecords.get();
    }

    /** Exact packets of the late flows.raw records. */
    public long lateFlowPackets() {
        return lateFlowPackets.get();
    }

    /** Exact bytes of the late flows.raw records. */
    public long lateFlowBytes() {
        return lateFlowBytes.get();
    }

    /** FlowWindowSummary records emitted (evicted windows included). */
    public long windowsEmitted() {
        return windowsEmitted.get();
    }

    /** Windows closed early because the task reached its bound on open windows. */
    public long windowsEvicted() {
        return windowsEvicted.get();
    }

    /** Windows open now, over this instance's tasks. */
    public long openWindows() {
        return openWindows.get();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "headers=%d flows=%d windows=%d evicted=%d open=%d late-headers=%d late-flows=%d (packets=%d bytes=%d)"
                        + " skipped-copies=%d unkeyed=%d",
                headerRecords(), flowRecords(), windowsEmitted(), windowsEvicted(), openWindows(), lateHeaderRecords(),
                lateFlowRecords(), lateFlowPackets(), lateFlowBytes(), skippedCopies(), skippedUnkeyed());
    }
}
