package io.headerlog.streams.stats;

import java.time.Instant;

/** Wall-clock time as ns since the epoch, at the clock's own resolution (µs on Linux). */
final class EpochNanos {
    private EpochNanos() {
    }

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
