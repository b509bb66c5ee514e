package io.headerlog.streams.clock;

import static io.headerlog.streams.clock.PairClockModelTest.assertTruthWithinBound;
import static io.headerlog.streams.clock.PairClockModelTest.error;
import static io.headerlog.streams.clock.PairClockModelTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.streams.clock.PairClockModel.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link PairClockModel} tells a clock that was set (a step) from samples that are just wrong. */
class PairClockModelStepTest {
    private static final long T = SimClock.T0;
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private final SimClock a = SimClock.reference("a");
    private final HostPair ab = HostPair.of("a", "b");

    @Test
    void shouldDetectA50msClockStepAndConvergeToTheNewOffset() {
        SimClock b = new SimClock("b", 37 * MS, 20).stepAt(T + 100 * SECOND, 50 * MS);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        List<Double> errors = new ArrayList<>();

        run(model, new SimNetwork(8), a, b, 0, 100, 5, 0, assertTruthWithinBound(model, b, errors));
        assertThat(model.steps()).isZero();
        // Right after the step, a few samples are held until three agree; then the model restarts.
        List<Outcome> outcomes = new ArrayList<>();
        SimNetwork net = new SimNetwork(9);
        for (int i = 0; i < 5; i++) {
            outcomes.add(model.add(net.handshake(a, b, T + 100 * SECOND + i * 200 * MS)));
        }
        assertThat(outcomes).contains(Outcome.STEP);
        assertThat(outcomes.subList(0, outcomes.indexOf(Outcome.STEP))).containsOnly(Outcome.HELD);
        assertThat(model.steps()).isEqualTo(1);

        run(model, net, a, b, 101, 110, 5, 0, assertTruthWithinBound(model, b, errors));
        PairEstimate soon = model.estimate().orElseThrow();
        assertThat(Math.abs(soon.offsetNs() - b.offsetAt(soon.validFromNs()))).isLessThan(1.0 * MS);

        run(model, net, a, b, 110, 250, 5, 0, assertTruthWithinBound(model, b, errors));
        PairEstimate settled = model.estimate().orElseThrow();
        assertThat(error(settled, b)).isLessThan(20_000);
        assertThat(settled.offsetNs()).isBetween(87 * MS, 87 * MS + 5 * MS); // 37 + 50 ms, + drift
        assertThat(Math.abs(settled.driftPpm() - 20)).isLessThan(1.0);
        assertThat(settled.steps()).isEqualTo(1);
    }

    @Test
    void shouldDropLateSamplesOfTheOldClockRightAfterAStepInsteadOfSteppingBack() {
        SimClock before = new SimClock("b", 37 * MS, 0);
        SimClock after = new SimClock("b", 87 * MS, 0);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        SimNetwork net = new SimNetwork(16).spikes(0, 0);
        run(model, net, a, before, 0, 60, 5, 0, s -> { });
        for (int i = 0; i < 3; i++) {
            model.add(net.handshake(a, after, T + 60 * SECOND + i * 100 * MS));
        }
        assertThat(model.steps()).isEqualTo(1);

        // Sightings from just before the step, delivered late: they fit the old estimate, not the new one.
        List<Outcome> late = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            late.add(model.add(net.handshake(a, before, T + 59 * SECOND + i * 100 * MS)));
        }

        assertThat(late).containsOnly(Outcome.STALE);
        assertThat(model.steps()).isEqualTo(1);
        assertThat(model.add(net.handshake(a, after, T + 61 * SECOND))).isEqualTo(Outcome.ACCEPTED);
        // Once the grace is over, the old clock coming back is a step like any other.
        run(model, net, a, after, 62, 80, 5, 0, s -> { });
        for (int i = 0; i < 3; i++) {
            model.add(net.handshake(a, before, T + 80 * SECOND + i * 100 * MS));
        }
        assertThat(model.steps()).isEqualTo(2);
    }

    @Test
    void shouldNotMoveForASingleWrongSample() {
        SimClock b = new SimClock("b", 37 * MS, 0);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        SimNetwork net = new SimNetwork(10).spikes(0, 0);
        run(model, net, a, b, 0, 30, 5, 0, s -> { });
        PairEstimate before = model.estimate().orElseThrow();

        // 10 ms off with a 100 us delay: cannot be the same clock.
        ClockSample wrong = new ClockSample("a", "b", T + 30 * SECOND, T + 30 * SECOND + 47 * MS,
                T + 30 * SECOND + 47 * MS + 20_000, T + 30 * SECOND + 120_000);
        assertThat(model.add(wrong)).isEqualTo(Outcome.HELD);
        assertThat(model.held()).isEqualTo(1);
        assertThat(model.add(net.handshake(a, b, T + 30 * SECOND + 100 * MS))).isEqualTo(Outcome.ACCEPTED);

        assertThat(model.rejectedOutliers()).isEqualTo(1);
        assertThat(model.held()).isZero();
        assertThat(model.steps()).isZero();
        assertThat(Math.abs(model.estimate().orElseThrow().offsetNs() - before.offsetNs())).isLessThan(20_000);
    }

    @Test
    void shouldNotTakeOutliersThatDisagreeWithEachOtherForAStep() {
        SimClock b = new SimClock("b", 37 * MS, 0);
        PairClockModel model = new PairClockModel(ab, ClockModelConfig.DEFAULTS);
        SimNetwork net = new SimNetwork(12).spikes(0, 0);
        run(model, net, a, b, 0, 30, 5, 0, s -> { });

        for (int i = 0; i < 6; i++) {
            long offset = (i % 2 == 0 ? 47 : 27) * MS; // +10 ms, -10 ms, +10 ms, ...
            long t1 = T + 30 * SECOND + i * 100 * MS;
            assertThat(model.add(new ClockSample("a", "b", t1, t1 + offset + 50_000, t1 + offset + 70_000, t1 + 120_000)))
                    .isEqualTo(Outcome.HELD);
        }

        assertThat(model.steps()).isZero();
        assertThat(model.held()).isEqualTo(3);
        assertThat(model.rejectedOutliers()).isEqualTo(3);
    }
}
