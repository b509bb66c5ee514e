package io.headerlog.streams.correlate;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the packet correlation ({@link CorrelateProcessor}). Times are event time: an
 * observation's alignedTimeNs, else its captureTimeNs (see {@link Sighting#eventTimeNs()}).
 *
 * @param window         how far apart in event time the sightings of one crossing of a packet may
 *                       be: the path's delays plus the clock error of unaligned hosts. A sighting
 *                       of the same label farther from the others is another crossing (a
 *                       retransmission, a repeated pure ACK) and starts a new packet
 * @param grace          how long after the task's event time passed a packet's window the packet
 *                       still waits for sightings that arrive out of order — one collector
 *                       publishing later than another. A packet closes when the event time reaches
 *                       windowStart + window + grace; sightings after that are late (counted, dropped)
 * @param maxOpenPackets most packets open per task (the store's size bound); opening one more closes
 *                       the oldest early (counted as evicted), so state stays bounded under any load
 * @param idleFlush      wall-clock time without the task's event time moving after which every open
 *                       packet is closed, so the last packets of a partition that went quiet come out
 *                       without waiting for new traffic; {@link Duration#ZERO} turns this off (then
 *                       only records move time, as with Kafka's own windows)
 */
public record CorrelationConfig(Duration window, Duration grace, int maxOpenPackets, Duration idleFlush) {

    // Declared before DEFAULTS: the constructor reads it while the class initialises.
    /** Event time spans beyond this are certainly configuration mistakes (and would risk overflow). */
    private static final Duration MAX_SPAN = Duration.ofDays(1);

    /**
     * 2 s covers LAN delays and the offset of a host whose clock is not modelled yet but kept by NTP;
     * 1 s of grace covers the collectors' publishing (20 ms linger, ring reads) with a wide margin.
     * 50 000 open packets per task: a packet stays open window + grace = 3 s, so eviction starts
     * above ~16k labelled packets/s per task; memory is about 50 000 × (a few hundred bytes of
     * stored packet + two small LRU entries, see FlowHosts and RecentlyClosed), ~30 MB per task.
     * Eviction degrades gracefully: an evicted packet seen at two hosts is still emitted.
     */
    public static final CorrelationConfig DEFAULTS =
            new CorrelationConfig(Duration.ofSeconds(2), Duration.ofSeconds(1), 50_000, Duration.ofSeconds(5));

    public CorrelationConfig {
        Objects.requireNonNull(window, "correlation window must be set");
        Objects.requireNonNull(grace, "correlation grace must be set");
        Objects.requireNonNull(idleFlush, "idle flush must be set");
        if (window.isNegative() || window.isZero() || window.compareTo(MAX_SPAN) > 0) {
            throw new IllegalArgumentException("correlation window must be > 0 and <= " + MAX_SPAN + ", was " + window);
        }
        if (grace.isNegative() || grace.compareTo(MAX_SPAN) > 0) {
            throw new IllegalArgumentException("correlation grace must be >= 0 and <= " + MAX_SPAN + ", was " + grace);
        }
        if (maxOpenPackets < 1) {
            throw new IllegalArgumentException("max open packets must be >= 1, was " + maxOpenPackets);
        }
        // A wall-clock punctuation below a millisecond is not schedulable; ZERO means off.
        if (idleFlush.isNegative() || (!idleFlush.isZero() && idleFlush.toMillis() < 1)) {
            throw new IllegalArgumentException("idle flush must be 0 (off) or >= 1 ms, was " + idleFlush);
        }
    }

    public CorrelationConfig withWindow(Duration value) {
        return new CorrelationConfig(value, grace, maxOpenPackets, idleFlush);
    }

    public CorrelationConfig withGrace(Duration value) {
        return new CorrelationConfig(window, value, maxOpenPackets, idleFlush);
    }

    public CorrelationConfig withMaxOpenPackets(int value) {
        return new CorrelationConfig(window, grace, value, idleFlush);
    }

    public CorrelationConfig withIdleFlush(Duration value) {
        return new CorrelationConfig(window, grace, maxOpenPackets, value);
    }

    long windowNs() {
        return window.toNanos();
    }

    long graceNs() {
        return grace.toNanos();
    }

    boolean idleFlushEnabled() {
        return !idleFlush.isZero();
    }
}
