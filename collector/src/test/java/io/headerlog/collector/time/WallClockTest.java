package io.headerlog.collector.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WallClockTest {

    @Test
    void shouldAddRealtimeMinusMonotonicOffset() {
        AtomicLong mono = new AtomicLong(1_000);
        WallClock c = new WallClock(Duration.ofSeconds(5), Duration.ZERO, mono::get, () -> 50_000 + mono.get());
        assertThat(c.toEpochNanos(2_000)).isEqualTo(52_000);
    }

    @Test
    void shouldApplyTestSkew() {
        WallClock c = new WallClock(Duration.ofSeconds(5), Duration.ofMillis(37), () -> 0, () -> 0);
        assertThat(c.toEpochNanos(10)).isEqualTo(10 + 37_000_000);
    }

    @Test
    void shouldFollowAWallClockStepAfterTheRemeasureInterval() {
        AtomicLong mono = new AtomicLong(0);
        AtomicLong step = new AtomicLong(0);
        WallClock c = new WallClock(Duration.ofSeconds(1), Duration.ZERO, mono::get, () -> mono.get() + step.get());
        step.set(1_000_000);                       // NTP steps the wall clock by 1 ms
        mono.set(500_000_000);
        assertThat(c.toEpochNanos(mono.get())).isEqualTo(500_000_000);          // not due yet
        mono.set(1_500_000_000);
        assertThat(c.toEpochNanos(mono.get())).isEqualTo(1_501_000_000);        // re-measured
    }

    @Test
    void shouldAgreeWithTheSystemWallClock() {
        WallClock c = WallClock.system(Duration.ofSeconds(5), Duration.ZERO);
        long wall = System.currentTimeMillis() * 1_000_000L;
        assertThat((double) c.toEpochNanos(System.nanoTime())).isCloseTo(wall, within(5_000_000.0));
        assertThat(c.uncertaintyNanos()).isLessThan(1_000_000);
    }
}
