package io.headerlog.streams.clock;

import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link PairClockModel} holds, as plain values: what a state store must keep so a
 * restarted task continues with the same estimate. The fit itself is not stored; it is recomputed
 * from the kept samples.
 *
 * @param pair             the two hosts
 * @param kept             the lowest-delay sample of each bucket in the window
 * @param pending          suspected-step samples not yet confirmed (at most the configured count)
 * @param newestNs         newest accepted sample time on first's clock ({@link Long#MIN_VALUE} if none)
 * @param accepted         samples accepted into the window so far
 * @param stale            samples dropped for being older than the window
 * @param rejectedOutliers suspected-step samples dropped because no step followed
 * @param steps            clock steps detected
 */
public record PairModelSnapshot(HostPair pair, List<ClockSample> kept, List<ClockSample> pending, long newestNs,
        long accepted, long stale, long rejectedOutliers, long steps) {

    public PairModelSnapshot {
        Objects.requireNonNull(pair, "pair must be set");
        kept = List.copyOf(kept);
        pending = List.copyOf(pending);
        for (ClockSample s : kept) {
            requireOfPair(pair, s);
        }
        for (ClockSample s : pending) {
            requireOfPair(pair, s);
        }
        if (accepted < 0 || stale < 0 || rejectedOutliers < 0 || steps < 0) {
            throw new IllegalArgumentException("counters must be >= 0");
        }
        if (!kept.isEmpty() && newestNs == Long.MIN_VALUE) {
            throw new IllegalArgumentException("a snapshot with kept samples needs their newest time");
        }
    }

    private static void requireOfPair(HostPair pair, ClockSample s) {
        if (!HostPair.of(s).equals(pair)) {
            throw new IllegalArgumentException("sample of " + HostPair.of(s) + " in the snapshot of " + pair);
        }
    }
}
