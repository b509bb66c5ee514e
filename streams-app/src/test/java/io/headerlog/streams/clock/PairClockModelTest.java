package io.headerlog.streams.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.headerlog.streams.clock.PairClockModel.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PairClockModelTest {
    private static final long T = SimClock.T0;
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private final SimClock a = SimClock.reference("a");
    private final HostPair ab = HostPair.of("a", "b");

    /** Handshakes a -> b (and b -> a every {@code reverseEvery}-th) every 1/perSecond s over [from, to) s. */
    static void run(PairClockModel model, SimNetwork net, SimClock a, SimClock b, int fromS, int toS,
            int perSecond, int reverseEvery, Consumer<Long> afterEachSecond) {
        for (long s = fromS; s < toS; s++) {
            for (int i = 0; i < perSecond; i++) {
                long start = T + s * SECOND + i * (SECOND / perSecond);
                boolean reverse = reverseEvery > 0 && i % reverseEvery == 0;
                model.add(reverse ? net.handshake(b, a, start) : net.handshake(a, b, start));
            }
            afterEachSecond.accept(s);
        }
    }

    /** |estimate − truth| at the estimate's validFrom (a's clock = true time). */
    static double error(PairEstimate e, SimClock b) {
        return Math.abs(e.offsetNs() - b.offsetAt(e.validFromNs()));
    }

    static Consumer<Long> assertTruthWithinBound(PairClockModel model, SimClock b, List<Double> errors) {
        return s -> {
            PairEstimate e = model.estimate().orElseThrow();
            double error = error(e, b);
            assertThat(error).as("error at %d s (%s)", s, e).isLessThanOrEqualTo(e.errorBoundNs());
            assertThat(e.errorBoundNs()).as("bound at least half the smallest delay").isGreaterThanOrEqualTo(e.minDelayNs() / 2);
            errors.add(error);
        };
    }

    @Test
    void shouldRecoverA37msOffsetWithinTheErrorBound() {
        SimClock b = new SimClock("b", 37 * MS, 0);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        List<Double> errors = new ArrayList<>();

        run(model, new SimNetwork(1), a, b, 0, 180, 5, 0, assertTruthWithinBound(model, b, errors));

        PairEstimate e = model.estimate().orElseThrow();
        assertThat((double) e.offsetNs()).isCloseTo(37 * MS, within(1.0 * MS));
        assertThat(error(e, b)).isLessThan(20_000);
        assertThat(e.errorBoundNs()).isLessThan(250_000); // ~100 us round trips
        assertThat(e.samples()).isBetween(60, 61);          // 120 s window in 2 s buckets
        assertThat(e.steps()).isZero();
    }

    @Test
    void shouldRecoverA20ppmDriftAndKeepTheDriftingOffsetWithinTheBound() {
        SimClock b = new SimClock("b", -5 * MS, 20);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        List<Double> errors = new ArrayList<>();

        run(model, new SimNetwork(2), a, b, 0, 600, 5, 0, assertTruthWithinBound(model, b, errors));

        PairEstimate e = model.estimate().orElseThrow();
        assertThat(Math.abs(e.driftPpm() - 20)).isLessThan(Math.min(1.0, e.driftBoundPpm()));
        // 600 s at 20 ppm moved the offset by 12 ms; the estimate follows.
        assertThat(b.offsetAt(e.validFromNs())).isCloseTo(7 * MS, within(0.1 * MS));
        assertThat(error(e, b)).isLessThan(30_000);
        // A minute later the widened bound still covers an extrapolation.
        long later = e.validFromNs() + 60 * SECOND;
        assertThat(Math.abs(e.offsetAt(later) - b.offsetAt(later))).isLessThanOrEqualTo(e.errorBoundAt(later));
    }

    @Test
    void shouldCoverTheBiasOfAnAsymmetricPathWithTheBound() {
        SimClock b = new SimClock("b", 37 * MS, 20);
        // 400 us towards b, 100 us back: the offset reads (400 - 100) / 2 = 150 us high.
        SimNetwork net = new SimNetwork(3).bases(400_000, 100_000).spikes(0, 0);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        List<Double> errors = new ArrayList<>();

        run(model, net, a, b, 0, 200, 5, 0, assertTruthWithinBound(model, b, errors));

        PairEstimate e = model.estimate().orElseThrow();
        assertThat(e.offsetNs() - b.offsetAt(e.validFromNs())).isBetween(130_000.0, 170_000.0);
    }

    @Test
    void shouldKeepTheBoundHonestWhenTheAsymmetryFlipsMidWindow() {
        // The worst case for a drift fit: one direction slow in the first half of the window, the other
        // in the second half, which tilts the fitted line. The bound must still hold.
        SimClock b = new SimClock("b", 37 * MS, 20);
        SimNetwork forwardSlow = new SimNetwork(4).bases(900_000, 50_000).spikes(0, 0);
        SimNetwork backwardSlow = new SimNetwork(5).bases(50_000, 900_000).spikes(0, 0);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        List<Double> errors = new ArrayList<>();

        run(model, forwardSlow, a, b, 0, 60, 5, 0, assertTruthWithinBound(model, b, errors));
        run(model, backwardSlow, a, b, 60, 120, 5, 0, assertTruthWithinBound(model, b, errors));

        assertThat(model.steps()).isZero();
        assertThat(errors).isNotEmpty();
    }

    @Test
    void shouldUseHandshakesInBothDirectionsAsOneRelation() {
        SimClock b = new SimClock("b", 37 * MS, 20);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        List<Double> errors = new ArrayList<>();

        // Every second handshake is opened by b.
        run(model, new SimNetwork(6), a, b, 0, 150, 6, 2, assertTruthWithinBound(model, b, errors));

        PairEstimate e = model.estimate().orElseThrow();
        assertThat(error(e, b)).isLessThan(20_000);
        assertThat(Math.abs(e.driftPpm() - 20)).isLessThan(1.0);
    }

    @Test
    void shouldNotFitDriftBeforeTheSamplesSpanLongEnough() {
        SimClock b = new SimClock("b", 37 * MS, 20);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        List<Double> errors = new ArrayList<>();

        run(model, new SimNetwork(7), a, b, 0, 8, 5, 0, assertTruthWithinBound(model, b, errors));

        PairEstimate e = model.estimate().orElseThrow();
        assertThat(e.driftPpm()).isZero();
        assertThat(e.driftBoundPpm()).isCloseTo(100.0, within(1e-9));
        // An unknown drift of up to 100 ppm widens the bound: about 4 s from the samples' centre.
        assertThat(e.errorBoundNs()).isGreaterThan(300_000);
    }

    @Test
    void shouldWidenTheBoundForADriftBeyondTheAssumedMaximumOnceTheSamplesShowIt() {
        // 500 ppm is five times the assumed maximum: from the second bucket on, the bound follows
        // what the samples show instead of the assumption, and the drift is not mistaken for steps.
        SimClock b = new SimClock("b", 37 * MS, 500);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        SimNetwork net = new SimNetwork(17);
        run(model, net, a, b, 0, 4, 5, 0, s -> { });
        List<Double> errors = new ArrayList<>();

        run(model, net, a, b, 4, 60, 5, 0, assertTruthWithinBound(model, b, errors));

        assertThat(model.steps()).isZero();
        assertThat(model.estimate().orElseThrow().driftPpm()).isCloseTo(500, within(1.0));
    }

    @Test
    void shouldKeepOneLowestDelaySamplePerBucketOverTheWindowOnly() {
        SimClock b = new SimClock("b", 37 * MS, 0);
        ClockModelConfig config = ClockModelConfig.DEFAULTS.withWindow(Duration.ofSeconds(60)).withBucket(Duration.ofSeconds(5));
        PairClockModel model = new PairClockModel(ab, config);
        SimNetwork net = new SimNetwork(13);
        run(model, net, a, b, 0, 300, 10, 0, s -> { });

        PairModelSnapshot snapshot = model.snapshot();
        assertThat(snapshot.kept()).hasSizeBetween(12, 13);
        assertThat(snapshot.kept()).allSatisfy(s -> assertThat(s.midpointANs()).isGreaterThanOrEqualTo(snapshot.newestNs() - 60 * SECOND));
        assertThat(model.estimate().orElseThrow().samples()).isEqualTo(snapshot.kept().size());
        // Each kept sample has the smallest delay of the 50 handshakes in its bucket: near the 100 us floor.
        assertThat(snapshot.kept()).allSatisfy(s -> assertThat(s.delayNs()).isLessThan(110_000));
        assertThat(model.accepted()).isEqualTo(3_000);
    }

    @Test
    void shouldDropASampleOlderThanTheWindow() {
        SimClock b = new SimClock("b", 37 * MS, 0);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        SimNetwork net = new SimNetwork(14);
        run(model, net, a, b, 200, 210, 5, 0, s -> { });

        assertThat(model.add(net.handshake(a, b, T + 10 * SECOND))).isEqualTo(Outcome.STALE);
        assertThat(model.stale()).isEqualTo(1);
    }

    @Test
    void shouldRejectASampleOfAnotherPair() {
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        assertThatThrownBy(() -> model.add(new ClockSample("a", "c", T, T + 1, T + 2, T + 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample of a|c given to the model of a|b");
        assertThat(model.estimate()).isEmpty();
    }

    @Test
    void shouldContinueFromASnapshotWithTheSameEstimate() {
        SimClock b = new SimClock("b", -5 * MS, 20);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        SimNetwork net = new SimNetwork(15);
        run(model, net, a, b, 0, 150, 5, 3, s -> { });
        model.add(new ClockSample("a", "b", T + 150 * SECOND, T + 150 * SECOND + 10 * MS, T + 150 * SECOND + 10 * MS,
                T + 150 * SECOND + 100_000)); // held as a possible step

        PairClockModel restored = PairClockModel.restore(model.snapshot(), ClockModelConfig.DEFAULTS);

        assertThat(restored.estimate()).isEqualTo(model.estimate());
        assertThat(restored.snapshot()).isEqualTo(model.snapshot());
        assertThat(restored.held()).isEqualTo(1);
        ClockSample next = net.handshake(a, b, T + 151 * SECOND);
        assertThat(restored.add(next)).isEqualTo(model.add(next));
        assertThat(restored.estimate()).isEqualTo(model.estimate());
    }
}
