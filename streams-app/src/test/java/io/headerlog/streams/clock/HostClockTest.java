package io.headerlog.streams.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostClockTest {
    private static final long T = SimClock.T0;
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private static HostClock clock(long offsetNs, double driftPpm, long boundNs, double driftBoundPpm) {
        return new HostClock("b", "a", offsetNs, driftPpm, boundNs, driftBoundPpm, 10, T, List.of("b", "a"), 0);
    }

    @Test
    void shouldSubtractTheOffsetBecauseItIsHostMinusReference() {
        HostClock ahead = clock(37 * MS, 0, 50_000, 0);
        HostClock behind = clock(-5 * MS, 0, 50_000, 0);

        assertThat(ahead.alignedTime(T + 37 * MS + 123)).isEqualTo(T + 123);
        assertThat(behind.alignedTime(T - 5 * MS + 123)).isEqualTo(T + 123);
        assertThat(ahead.validFromHostNs()).isEqualTo(T + 37 * MS);
    }

    @Test
    void shouldFollowTheDriftAwayFromValidFrom() {
        SimClock b = new SimClock("b", 37 * MS, 20);
        HostClock clock = clock(37 * MS, 20, 50_000, 1);

        for (long refTime : new long[] {T, T + 100 * SECOND, T - 100 * SECOND, T + 3_600 * SECOND}) {
            long hostTime = b.read(refTime);
            assertThat(clock.alignedTime(hostTime)).as("at %d", refTime).isCloseTo(refTime, within(1L));
            assertThat(clock.hostTime(refTime)).isCloseTo(hostTime, within(1L));
        }
    }

    @Test
    void shouldWidenTheErrorBoundWithTheDriftBound() {
        HostClock clock = clock(37 * MS, 20, 50_000, 1.0);

        assertThat(clock.errorBoundAt(clock.validFromHostNs())).isEqualTo(50_000);
        // 1 ppm over 100 s; rounding may add 1 ns, never take one away.
        assertThat(clock.errorBoundAt(clock.hostTime(T + 100 * SECOND))).isBetween(150_000L, 150_001L);
        assertThat(clock.errorBoundAt(clock.hostTime(T - 100 * SECOND))).isBetween(150_000L, 150_001L);
    }

    @Test
    void shouldThrowRatherThanWrapAroundOnAGarbageTimestamp() {
        HostClock clock = clock(37 * MS, 0, 0, 0);
        assertThatThrownBy(() -> clock.alignedTime(Long.MIN_VALUE)).isInstanceOf(ArithmeticException.class);
        assertThat(clock(37 * MS, 0, 0, 1).errorBoundAt(Long.MAX_VALUE - 100 * MS)).isPositive();
    }

    @Test
    void shouldCallABoundBeyondAnHourUselessSoTwoBoundsCanAlwaysBeAdded() {
        HostClock wide = clock(37 * MS, 0, 50_000, 1e9); // a drift bound of 1e9 ppm: 1000 s per s
        assertThat(wide.usableAt(wide.validFromHostNs())).isTrue();
        assertThat(wide.usableAt(wide.hostTime(T + SECOND))).isTrue();
        assertThat(wide.usableAt(wide.hostTime(T + 10 * SECOND))).isFalse();
        assertThat(clock(37 * MS, 0, 0, 1).usableAt(Long.MAX_VALUE - 100 * MS)).isFalse();
        assertThat(Math.addExact(HostClock.MAX_USEFUL_BOUND_NS, HostClock.MAX_USEFUL_BOUND_NS)).isPositive();
    }

    @Test
    void shouldDescribeTheReferenceAsExact() {
        HostClock ref = HostClock.ofReference("a", T);

        assertThat(ref.isReference()).isTrue();
        assertThat(ref.alignedTime(T + 5)).isEqualTo(T + 5);
        assertThat(ref.errorBoundAt(T + 1_000 * SECOND)).isZero();
        assertThat(ref.path()).containsExactly("a");
    }

    @Test
    void shouldRejectInconsistentClocks() {
        assertThatThrownBy(() -> new HostClock("a", "a", 5, 0, 0, 0, 0, T, List.of("a"), 0))
                .hasMessageContaining("the reference has offset 0");
        assertThatThrownBy(() -> new HostClock("c", "a", 5, 0, 0, 0, 0, T, List.of("c", "b"), 0))
                .hasMessageContaining("path must run from c to a");
        assertThatThrownBy(() -> new HostClock("c", "a", 5, 0, -1, 0, 0, T, List.of("c", "a"), 0))
                .hasMessageContaining("error bounds must be finite and >= 0");
        assertThatThrownBy(() -> new HostClock("c", "a", 5, Double.NaN, 0, 0, 0, T, List.of("c", "a"), 0))
                .hasMessageContaining("drift must be finite");
    }
}
