package io.headerlog.streams.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClockSampleTest {
    private static final long T0 = SimClock.T0;

    @Test
    void shouldComputeOffsetAsBMinusAAndTheClockIndependentDelay() {
        // B reads 1000 ns more than A; 50 ns there, 20 ns at B, 60 ns back.
        ClockSample s = new ClockSample("a", "b", T0 + 100, T0 + 1150, T0 + 1170, T0 + 230);

        assertThat(s.offsetNs()).isEqualTo(995); // biased by half the asymmetry, (50 - 60) / 2
        assertThat(s.delayNs()).isEqualTo(110);
        assertThat(Math.abs(s.offsetNs() - 1000)).isLessThanOrEqualTo(s.delayNs() / 2);
        assertThat(s.midpointANs()).isEqualTo(T0 + 165);
        assertThat(s.midpointBNs()).isEqualTo(T0 + 1160);
    }

    @Test
    void shouldBoundTheTrueOffsetByHalfTheDelayWhateverTheSplitOfTheDelay() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long offset = random.nextLong() % 10_000_000_000L;
            long there = random.nextInt(5_000_000);
            long back = random.nextInt(5_000_000);
            long hold = random.nextInt(1_000_000);
            long t1 = T0 + random.nextInt(1_000_000_000);
            ClockSample s = new ClockSample("a", "b", t1, t1 + there + offset, t1 + there + hold + offset,
                    t1 + there + hold + back);

            assertThat(s.delayNs()).isEqualTo(there + back);
            assertThat((double) Math.abs(s.offsetNs() - offset)).isLessThanOrEqualTo(s.delayNs() / 2.0 + 0.5);
        }
    }

    @Test
    void shouldRejectANegativeDelayAsNonCausal() {
        // The responder held the request 100 ns but the requester saw a 50 ns round trip.
        assertThatThrownBy(() -> new ClockSample("a", "b", T0, T0 + 10, T0 + 110, T0 + 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative delay")
                .hasMessageContaining("not causal");
        assertThat(ClockSample.isConsistent(T0, T0 + 10, T0 + 110, T0 + 50)).isFalse();
    }

    @Test
    void shouldAcceptAZeroDelay() {
        assertThat(new ClockSample("a", "b", T0, T0 + 5, T0 + 25, T0 + 20).delayNs()).isZero();
    }

    @Test
    void shouldRejectAResponseSentBeforeTheRequestArrived() {
        assertThatThrownBy(() -> new ClockSample("a", "b", T0, T0 + 100, T0 + 90, T0 + 200))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("response left b (t3=");
    }

    @Test
    void shouldRejectASampleWithOneHostOrNoHost() {
        assertThatThrownBy(() -> new ClockSample("a", "a", T0, T0, T0, T0)).hasMessageContaining("two hosts");
        assertThatThrownBy(() -> new ClockSample(null, "b", T0, T0, T0, T0)).hasMessageContaining("hostA must be set");
        assertThatThrownBy(() -> new ClockSample("a", " ", T0, T0, T0, T0)).hasMessageContaining("hostB must not be blank");
    }

    @Test
    void shouldNeverThrowFromIsConsistentOnExtremeTimestamps() {
        assertThat(ClockSample.isConsistent(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE)).isFalse();
        assertThat(ClockSample.isConsistent(Long.MAX_VALUE, 0, 0, Long.MIN_VALUE)).isFalse();
    }

    @Test
    void shouldHandleClocksFarApartWithoutOverflow() {
        // B's clock is a year ahead.
        long year = 365L * 24 * 3600 * 1_000_000_000L;
        ClockSample s = new ClockSample("a", "b", T0, T0 + year + 40, T0 + year + 60, T0 + 100);
        assertThat(s.offsetNs()).isEqualTo(year);
        assertThat(s.delayNs()).isEqualTo(80);
    }
}
