package io.headerlog.tools.view;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * p50 and max of end-to-end latencies over one refresh interval. The max is exact; the median comes
 * from a fixed-size uniform reservoir (Algorithm R) so a burst of a million records costs no more
 * memory than a quiet second.
 */
final class LatencyStats {
    static final int RESERVOIR_SIZE = 4096;

    private final long[] reservoir = new long[RESERVOIR_SIZE];
    // Seeded: the view must not depend on randomness for the same input in tests.
    private final SplittableRandom random = new SplittableRandom(0x5eed);
    private long count;
    private long max = Long.MIN_VALUE;

    void add(long latencyMs) {
        if (count < RESERVOIR_SIZE) {
            reservoir[(int) count] = latencyMs;
        } else {
            long slot = random.nextLong(count + 1);
            if (slot < RESERVOIR_SIZE) {
                reservoir[(int) slot] = latencyMs;
            }
        }
        count++;
        max = Math.max(max, latencyMs);
    }

    /** The interval's figures, then starts a new interval. */
    Latency drain() {
        if (count == 0) {
            return Latency.NONE;
        }
        int n = (int) Math.min(count, RESERVOIR_SIZE);
        long[] sorted = Arrays.copyOf(reservoir, n);
        Arrays.sort(sorted);
        // Lower median: with two samples the p50 is the smaller, an observed value, not an average.
        Latency result = new Latency(count, sorted[(n - 1) / 2], max);
        count = 0;
        max = Long.MIN_VALUE;
        return result;
    }

    /** Latency figures of one interval in milliseconds; {@code samples == 0} means none were seen. */
    record Latency(long samples, long p50Ms, long maxMs) {
        static final Latency NONE = new Latency(0, 0, 0);
    }
}
