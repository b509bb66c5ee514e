package io.headerlog.streams.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClockSolverTest {
    private static final long T = SimClock.T0;
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    /** An estimate of second − first for the pair of x and y (x, y in any order). */
    private static PairEstimate edge(String first, String second, long validFrom, long offset, double drift,
            long bound, double driftBound, int samples) {
        return new PairEstimate(new HostPair(first, second), validFrom, offset, drift, bound, driftBound, samples,
                2 * bound, 0);
    }

    // a–b: b is 37 ms ahead of a; b–c: c is 42 ms behind b, so 5 ms behind a. No a–c estimate.
    private static final PairEstimate AB = edge("a", "b", T, 37 * MS, 20, 50_000, 0.5, 60);
    private static final PairEstimate BC = edge("b", "c", T + 37 * MS, -42 * MS, -3, 30_000, 0.25, 40);

    @Test
    void shouldDeriveAHostThatOnlyPairsWithAnotherThroughIt() {
        ClockSolution solution = new ClockSolver().solve(List.of(AB, BC), T);

        assertThat(solution.reference()).contains("a");
        HostClock c = solution.clock("c").orElseThrow();
        assertThat(c.offsetNs()).isEqualTo(-5 * MS);
        assertThat(c.driftPpm()).isCloseTo(17, within(1e-9));
        assertThat(c.errorBoundNs()).isEqualTo(80_000);
        assertThat(c.driftBoundPpm()).isCloseTo(0.75, within(1e-9));
        assertThat(c.samples()).isEqualTo(100);
        assertThat(c.path()).containsExactly("c", "b", "a");
        assertThat(c.validFromNs()).isEqualTo(T);
        assertThat(solution.clock("b").orElseThrow().path()).containsExactly("b", "a");
        assertThat(solution.clock("a").orElseThrow().isReference()).isTrue();
    }

    @Test
    void shouldHonourAConfiguredReferenceAndFlipTheSigns() {
        ClockSolver solver = new ClockSolver(Optional.of("b"), ClockSolver.DEFAULT_MAX_EXTRAPOLATION);

        ClockSolution solution = solver.solve(List.of(AB, BC), T + 37 * MS);

        assertThat(solution.reference()).contains("b");
        assertThat(solution.clock("a").orElseThrow().offsetNs()).isEqualTo(-37 * MS);
        assertThat(solution.clock("a").orElseThrow().driftPpm()).isCloseTo(-20, within(1e-9));
        assertThat(solution.clock("c").orElseThrow().offsetNs()).isEqualTo(-42 * MS);
        assertThat(solution.clock("c").orElseThrow().path()).containsExactly("c", "b");
    }

    @Test
    void shouldEvaluateAReversedPairOnItsOwnTimeAxis() {
        // b is 10 s ahead of a and drifts 100 ppm; reference b. Evaluating a–b at b's time instead of
        // a's would be off by 10 s · 100 ppm = 1 ms.
        PairEstimate far = edge("a", "b", T, 10 * SECOND, 100, 10_000, 0.1, 60);
        ClockSolver solver = new ClockSolver(Optional.of("b"), ClockSolver.DEFAULT_MAX_EXTRAPOLATION);

        HostClock a = solver.solve(List.of(far), T + 10 * SECOND).clock("a").orElseThrow();

        assertThat(a.offsetNs()).isCloseTo(-10 * SECOND, within(2L));
        assertThat(a.errorBoundNs()).isEqualTo(10_000);
    }

    @Test
    void shouldComposeAlongThePathWithTheSmallestTotalErrorBound() {
        // A direct a–c estimate exists but through a congested link: 2 ms bound against 80 us via b.
        PairEstimate acDirect = edge("a", "c", T, -5 * MS + 700_000, 0, 2 * MS, 0.5, 10);

        HostClock c = new ClockSolver().solve(List.of(AB, BC, acDirect), T).clock("c").orElseThrow();

        assertThat(c.path()).containsExactly("c", "b", "a");
        assertThat(c.offsetNs()).isEqualTo(-5 * MS);
        assertThat(c.errorBoundNs()).isEqualTo(80_000);

        PairEstimate acGood = edge("a", "c", T, -5 * MS + 10_000, 0, 20_000, 0.5, 10);
        HostClock direct = new ClockSolver().solve(List.of(AB, BC, acGood), T).clock("c").orElseThrow();
        assertThat(direct.path()).containsExactly("c", "a");
        assertThat(direct.errorBoundNs()).isEqualTo(20_000);
    }

    @Test
    void shouldGiveNoClockToAHostWithoutAPathToTheReference() {
        PairEstimate de = edge("d", "e", T, 1 * MS, 0, 10_000, 0.1, 10);

        ClockSolution solution = new ClockSolver().solve(List.of(AB, de), T);

        assertThat(solution.clocks()).containsOnlyKeys("a", "b");
        assertThat(solution.clock("d")).isEmpty();
    }

    @Test
    void shouldKeepAConfiguredReferenceThatHasNoEstimatesYet() {
        ClockSolver solver = new ClockSolver(Optional.of("z"), ClockSolver.DEFAULT_MAX_EXTRAPOLATION);

        ClockSolution solution = solver.solve(List.of(AB, BC), T);

        assertThat(solution.reference()).contains("z");
        assertThat(solution.clocks()).containsOnlyKeys("z");
        assertThat(new ClockSolver().solve(List.of(), T).reference()).isEmpty();
        assertThat(new ClockSolver().solveAtLatest(List.of()).clocks()).isEmpty();
    }

    @Test
    void shouldWidenTheBoundBySolvingAwayFromTheSamplesAndDropTooOldEstimates() {
        ClockSolver solver = new ClockSolver(Optional.empty(), Duration.ofSeconds(60));

        HostClock b = solver.solve(List.of(AB), T + 10 * SECOND).clock("b").orElseThrow();
        assertThat(b.errorBoundNs()).isBetween(55_000L, 55_001L); // + 0.5 ppm over 10 s, rounded up
        assertThat(b.offsetNs()).isEqualTo(37 * MS + 200_000);  // 20 ppm over 10 s

        assertThat(solver.solve(List.of(AB), T + 61 * SECOND).clock("b")).isEmpty();
    }

    @Test
    void shouldSolveAtTheNewestSampleTimeOnTheReferenceClock() {
        PairEstimate bcLater = edge("b", "c", T + 37 * MS + 5 * SECOND, -42 * MS, 0, 30_000, 0.25, 40);

        ClockSolution solution = new ClockSolver().solveAtLatest(List.of(AB, bcLater));

        // b's clock read T + 37 ms + 5 s at reference time T + 5 s - 20 ppm · 5 s.
        assertThat(solution.atReferenceNs()).isCloseTo(T + 5 * SECOND - 99_998, within(1L));
        assertThat(solution.clocks().values()).allSatisfy(c -> assertThat(c.validFromNs()).isEqualTo(solution.atReferenceNs()));
    }

    @Test
    void shouldRejectABlankReferenceOrANonPositiveExtrapolation() {
        assertThatThrownBy(() -> new ClockSolver(Optional.of(" "), Duration.ofSeconds(1)))
                .hasMessageContaining("reference host must not be blank");
        assertThatThrownBy(() -> new ClockSolver(Optional.empty(), Duration.ZERO))
                .hasMessageContaining("max extrapolation must be > 0");
    }
}
