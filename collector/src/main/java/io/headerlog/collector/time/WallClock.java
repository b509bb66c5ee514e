package io.headerlog.collector.time;

import java.time.Duration;
import java.time.Instant;

/**
 * Converts kernel capture times (bpf_ktime_get_ns, CLOCK_MONOTONIC) to nanoseconds since the epoch.
 *
 * <p>The REALTIME − MONOTONIC offset moves whenever NTP steps or slews the wall clock, so it is
 * re-measured every {@code remeasureEvery}. Each measurement brackets one wall-clock read between two
 * monotonic reads and keeps the tightest bracket of a few tries, so a preemption in the middle does
 * not leak into the offset. On Linux, HotSpot's System.nanoTime() reads CLOCK_MONOTONIC — the same
 * clock as bpf_ktime_get_ns — and Instant.now() reads CLOCK_REALTIME with nanosecond precision.
 *
 * <p>{@code skew} shifts every converted time; it exists only so tests and the demo can give one
 * namespace "host" a wrong clock (namespaces share one kernel clock) for the streams app to estimate.
 */
public final class WallClock {
    private static final int TRIES = 5;

    private final Duration remeasureEvery;
    private final long skewNanos;
    private final MonotonicSource mono;
    private final RealtimeSource real;
    private volatile long offsetNanos;
    private volatile long lastBracketNanos;
    private volatile long measuredAtMono;

    /** A source of CLOCK_MONOTONIC nanoseconds. */
    @FunctionalInterface
    public interface MonotonicSource {
        long nanos();
    }

    /** A source of CLOCK_REALTIME nanoseconds since the epoch. */
    @FunctionalInterface
    public interface RealtimeSource {
        long epochNanos();
    }

    public static WallClock system(Duration remeasureEvery, Duration skew) {
        return new WallClock(remeasureEvery, skew, System::nanoTime, WallClock::instantNanos);
    }

    public WallClock(Duration remeasureEvery, Duration skew, MonotonicSource mono, RealtimeSource real) {
        if (remeasureEvery.isNegative() || remeasureEvery.isZero()) {
            throw new IllegalArgumentException("remeasure interval must be positive, got " + remeasureEvery);
        }
        this.remeasureEvery = remeasureEvery;
        this.skewNanos = skew.toNanos();
        this.mono = mono;
        this.real = real;
        measure();
    }

    /** Epoch nanoseconds of a CLOCK_MONOTONIC time, re-measuring the offset when it is due. */
    public long toEpochNanos(long monoNanos) {
        if (monoNanos - measuredAtMono > remeasureEvery.toNanos()) {
            measure();
        }
        return monoNanos + offsetNanos + skewNanos;
    }

    /** Current REALTIME − MONOTONIC offset in ns (without the test skew). */
    public long offsetNanos() {
        return offsetNanos;
    }

    /** Uncertainty of the last offset measurement: the width of its monotonic bracket, in ns. */
    public long uncertaintyNanos() {
        return lastBracketNanos;
    }

    public long skewNanos() {
        return skewNanos;
    }

    /** Re-measures the offset now (also called lazily by {@link #toEpochNanos}). */
    public synchronized void measure() {
        long bestBracket = Long.MAX_VALUE;
        long bestOffset = 0;
        long at = 0;
        for (int i = 0; i < TRIES; i++) {
            long before = mono.nanos();
            long wall = real.epochNanos();
            long after = mono.nanos();
            long bracket = after - before;
            if (bracket < bestBracket) {
                bestBracket = bracket;
                bestOffset = wall - (before + bracket / 2);
                at = after;
            }
        }
        offsetNanos = bestOffset;
        lastBracketNanos = bestBracket;
        measuredAtMono = at;
    }

    private static long instantNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
