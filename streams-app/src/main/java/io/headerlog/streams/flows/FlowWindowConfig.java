package io.headerlog.streams.flows;

import java.time.Duration;
import java.util.Objects;

/**
 * Windows and bounds of the flows.summary branch ({@link FlowWindowProcessor}). Times are event
 * time on each observing host's own wall clock: a header record's captureTimeNs, a flows.raw
 * record's lastSeenNs.
 *
 * @param enabled        whether the branch is in the topology at all (it adds flows.raw as an input)
 * @param window         size of the tumbling windows, aligned to the epoch (a window starts at a
 *                       multiple of it)
 * @param grace          how long after a window's end the task's event time may move on before the
 *                       window closes. It must cover how late the collectors publish a flow's exact
 *                       counters: a flow that goes idle is exported after the collector's
 *                       --flow-idle-timeout (default 15 s) at the next --stats-interval (default 5 s),
 *                       so its flows.raw record arrives ~20 s after its lastSeenNs. Later records are
 *                       counted as late and not added
 * @param maxOpenWindows most windows (flow × observation point × window) open per task; opening one
 *                       more first closes the window due soonest (emitted, counted as evicted), so
 *                       state stays bounded under any number of flows
 * @param idleAdvance    wall-clock time without any record moving the task's event time after which
 *                       event time follows the wall clock from the newest record's time on, so the
 *                       last windows of a partition that went quiet close (grace included) without
 *                       waiting for new traffic; {@link Duration#ZERO} turns this off (then only
 *                       records move time, as with Kafka's own windows)
 */
public record FlowWindowConfig(boolean enabled, Duration window, Duration grace, int maxOpenWindows,
        Duration idleAdvance) {

    // Declared before DEFAULTS: the constructor reads it while the class initialises.
    /** Spans beyond this are configuration mistakes (and would risk overflow in ns arithmetic). */
    private static final Duration MAX_SPAN = Duration.ofDays(1);

    /**
     * 10 s windows; 30 s of grace covers the collectors' default idle export (~20 s after a flow's
     * last packet) with room for the task's idling and publishing delays. An observation point of an
     * active flow keeps (window + grace) / window = 4 windows open, so 50 000 open windows per task
     * (about 1 KB each, ~50 MB) hold ~12 000 active flow directions per task before eviction starts.
     */
    public static final FlowWindowConfig DEFAULTS = new FlowWindowConfig(true, Duration.ofSeconds(10),
            Duration.ofSeconds(30), 50_000, Duration.ofSeconds(5));

    public FlowWindowConfig {
        Objects.requireNonNull(window, "flow summary window must be set");
        Objects.requireNonNull(grace, "flow summary grace must be set");
        Objects.requireNonNull(idleAdvance, "flow summary idle advance must be set");
        // Kafka Streams' own clocks are in ms: a shorter window could not be punctuated or reasoned about.
        if (window.toMillis() < 1 || window.compareTo(MAX_SPAN) > 0) {
            throw new IllegalArgumentException("flow summary window must be >= 1 ms and <= " + MAX_SPAN + ", was " + window);
        }
        if (grace.isNegative() || grace.compareTo(MAX_SPAN) > 0) {
            throw new IllegalArgumentException("flow summary grace must be >= 0 and <= " + MAX_SPAN + ", was " + grace);
        }
        if (maxOpenWindows < 1) {
            throw new IllegalArgumentException("max open flow windows must be >= 1, was " + maxOpenWindows);
        }
        if (idleAdvance.isNegative() || (!idleAdvance.isZero() && idleAdvance.toMillis() < 1)) {
            throw new IllegalArgumentException("flow summary idle advance must be 0 (off) or >= 1 ms, was " + idleAdvance);
        }
    }

    public FlowWindowConfig withEnabled(boolean value) {
        return new FlowWindowConfig(value, window, grace, maxOpenWindows, idleAdvance);
    }

    public FlowWindowConfig withWindow(Duration value) {
        return new FlowWindowConfig(enabled, value, grace, maxOpenWindows, idleAdvance);
    }

    public FlowWindowConfig withGrace(Duration value) {
        return new FlowWindowConfig(enabled, window, value, maxOpenWindows, idleAdvance);
    }

    public FlowWindowConfig withMaxOpenWindows(int value) {
        return new FlowWindowConfig(enabled, window, grace, value, idleAdvance);
    }

    public FlowWindowConfig withIdleAdvance(Duration value) {
        return new FlowWindowConfig(enabled, window, grace, maxOpenWindows, value);
    }

    long windowNs() {
        return window.toNanos();
    }

    long graceNs() {
        return grace.toNanos();
    }

    boolean idleAdvanceEnabled() {
        return !idleAdvance.isZero();
    }
}
