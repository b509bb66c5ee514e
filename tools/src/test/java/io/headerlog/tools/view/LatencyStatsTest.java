package io.headerlog.tools.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headerlog.tools.view.LatencyStats.Latency;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {
    @Test
    void shouldReportLowerMedianAndExactMaxOfSmallIntervals() {
        LatencyStats stats = new LatencyStats();
        stats.add(7);
        stats.add(3);

        Latency l = stats.drain();
        assertThat(l).isEqualTo(new Latency(2, 3, 7));
    }

    @Test
    void shouldKeepNegativeLatenciesFromSkewedClocks() {
        LatencyStats stats = new LatencyStats();
        stats.add(-5);

        assertThat(stats.drain()).isEqualTo(new Latency(1, -5, -5));
    }

    @Test
    void shouldEstimateMedianFromReservoirWhenIntervalExceedsIt() {
        LatencyStats stats = new LatencyStats();
        int n = LatencyStats.RESERVOIR_SIZE * 50;
        for (int i = 0; i < n; i++) {
            // A permutation of 0..n-1 so the true median is n/2 regardless of arrival order.
            stats.add((i * 7919L) % n);
        }

        Latency l = stats.drain();
        assertThat(l.samples()).isEqualTo(n);
        assertThat(l.maxMs()).isEqualTo(n - 1);
        assertThat((double) l.p50Ms()).isCloseTo(n / 2.0, within(n * 0.03));
    }

    @Test
    void shouldStartEmptyAfterDrain() {
        LatencyStats stats = new LatencyStats();
        stats.add(100);
        stats.drain();
        stats.add(1);

        assertThat(stats.drain()).isEqualTo(new Latency(1, 1, 1));
        assertThat(stats.drain()).isEqualTo(Latency.NONE);
    }
}
