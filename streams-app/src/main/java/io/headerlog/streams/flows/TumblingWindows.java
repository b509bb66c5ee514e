package io.headerlog.streams.flows;

import static io.headerlog.streams.correlate.TimeMath.saturatedAdd;

/**
 * Tumbling windows of event time, aligned to the epoch: [k·size, (k+1)·size). Times come from the
 * collectors' clocks and could be garbage (a host whose clock was never set), so ends and deadlines
 * saturate instead of wrapping into plausible-looking times.
 */
final class TumblingWindows {
    private final long sizeNs;
    private final long graceNs;

    TumblingWindows(long sizeNs, long graceNs) {
        if (sizeNs < 1 || graceNs < 0) {
            throw new IllegalArgumentException("window size must be >= 1 ns and grace >= 0, were " + sizeNs + ", " + graceNs);
        }
        this.sizeNs = sizeNs;
        this.graceNs = graceNs;
    }

    /** Start of the window that holds {@code t}. */
    long startOf(long t) {
        return Math.floorDiv(t, sizeNs) * sizeNs;
    }

    /** End (exclusive) of the window starting at {@code start}. */
    long endOf(long start) {
        return saturatedAdd(start, sizeNs);
    }

    /** The event time at which the window starting at {@code start} closes: its end plus the grace. */
    long deadlineOf(long start) {
        return saturatedAdd(endOf(start), graceNs);
    }
}
