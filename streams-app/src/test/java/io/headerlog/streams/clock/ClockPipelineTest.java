package io.headerlog.streams.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sightings → {@link HandshakeMatcher} → {@link ClockGraph} → {@link ClockSolver}, on synthetic hosts
 * with known clocks: what the lead wires into the topology, end to end.
 */
class ClockPipelineTest {
    private static final long T = SimClock.T0;
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private final SimClock a = SimClock.reference("a");
    private final SimClock b = new SimClock("b", 37 * MS, 20);
    private final SimClock c = new SimClock("c", -5 * MS, -10);
    private final Map<String, SimClock> clocks = Map.of("a", a, "b", b, "c", c);

    /** Runs the sightings through matcher and graph, shuffled within blocks (collector lag). */
    private static ClockGraph feed(List<Observation> sightings, HandshakeMatcher matcher, long seed) {
        Random random = new Random(seed);
        for (int from = 0; from < sightings.size(); from += 64) {
            Collections.shuffle(sightings.subList(from, Math.min(sightings.size(), from + 64)), random);
        }
        ClockGraph graph = new ClockGraph();
        for (Observation o : sightings) {
            for (ClockSample s : matcher.offer(o)) {
                graph.add(s);
            }
        }
        return graph;
    }

    private void assertEveryClockWithinItsBound(ClockSolution solution) {
        for (HostClock clock : solution.clocks().values()) {
            long ref = solution.atReferenceNs();
            double truth = clocks.get(clock.host()).offsetAt(ref);
            assertThat(Math.abs(clock.offsetNs() - truth)).as("%s", clock).isLessThanOrEqualTo(clock.errorBoundNs());
            // A timestamp taken 5 s later on the host's clock lands on the reference clock within the bound.
            long later = ref + 5 * SECOND;
            long hostTime = clocks.get(clock.host()).read(later);
            assertThat((double) Math.abs(clock.alignedTime(hostTime) - later)).as("%s at +5 s", clock)
                    .isLessThanOrEqualTo(clock.errorBoundAt(hostTime));
        }
    }

    @Test
    void shouldAlignAHostThatOnlyTalksToAnotherHostThroughThatHost() {
        SimNetwork net = new SimNetwork(21);
        List<Observation> sightings = new ArrayList<>();
        for (int i = 0; i < 300 * 4; i++) {
            long start = T + i * 250 * MS;
            switch (i % 4) {
                case 0 -> sightings.addAll(net.handshakeObservations(a, b, start));
                case 1 -> sightings.addAll(net.handshakeObservations(b, c, start));
                case 2 -> sightings.addAll(net.handshakeObservations(c, b, start));
                default -> sightings.addAll(net.handshakeObservations(b, a, start));
            }
        }
        HandshakeMatcher matcher = new HandshakeMatcher();

        ClockGraph graph = feed(sightings, matcher, 22);
        ClockSolution solution = new ClockSolver().solveAtLatest(graph.estimates());

        assertThat(matcher.stats().samples()).isEqualTo(1_200);
        assertThat(solution.reference()).contains("a");
        HostClock cClock = solution.clock("c").orElseThrow();
        assertThat(cClock.path()).containsExactly("c", "b", "a");
        assertThat(Math.abs(cClock.offsetNs() - c.offsetAt(solution.atReferenceNs()))).isLessThan(50_000);
        assertThat(cClock.driftPpm()).isCloseTo(-10, within(1.5));
        assertThat(solution.clock("b").orElseThrow().offsetNs()).isCloseTo(37 * MS + 6 * MS,
                within(1 * MS)); // 300 s at 20 ppm
        assertEveryClockWithinItsBound(solution);
    }

    @Test
    void shouldSampleEveryHostOnAForwardedPathAndPickTheBestComposition() {
        // a talks to c through router b: b sees each SYN and SYN-ACK arrive and leave.
        Random random = new Random(31);
        List<Observation> sightings = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            long t = T + i * 200 * MS;
            String flow = "1:fwd-" + i;
            long syn = random.nextLong();
            long synAck = random.nextLong();
            long[] hop = new long[4];
            for (int h = 0; h < 4; h++) {
                hop[h] = 40_000 + (long) (-10_000 * Math.log(1 - random.nextDouble()))
                        + (random.nextDouble() < 0.05 ? random.nextInt(3_000_000) : 0);
            }
            long synAtB = t + hop[0];
            long synFromB = synAtB + 5_000;
            long synAtC = synFromB + hop[1];
            long synAckFromC = synAtC + 30_000;
            long synAckAtB = synAckFromC + hop[2];
            long synAckFromB = synAckAtB + 5_000;
            long synAckAtA = synAckFromB + hop[3];
            sightings.add(SimNetwork.tcp("a", true, a.read(t), syn, flow, Observation.SYN));
            sightings.add(SimNetwork.tcp("b", false, b.read(synAtB), syn, flow, Observation.SYN));
            sightings.add(SimNetwork.tcp("b", true, b.read(synFromB), syn, flow, Observation.SYN));
            sightings.add(SimNetwork.tcp("c", false, c.read(synAtC), syn, flow, Observation.SYN));
            int sa = Observation.SYN | Observation.ACK;
            sightings.add(SimNetwork.tcp("c", true, c.read(synAckFromC), synAck, flow, sa));
            sightings.add(SimNetwork.tcp("b", false, b.read(synAckAtB), synAck, flow, sa));
            sightings.add(SimNetwork.tcp("b", true, b.read(synAckFromB), synAck, flow, sa));
            sightings.add(SimNetwork.tcp("a", false, a.read(synAckAtA), synAck, flow, sa));
        }
        HandshakeMatcher matcher = new HandshakeMatcher();

        ClockGraph graph = feed(sightings, matcher, 32);
        ClockSolution solution = new ClockSolver().solveAtLatest(graph.estimates());

        assertThat(matcher.stats().samples()).isEqualTo(3_000); // a–b, b–c and a–c per handshake
        assertThat(graph.estimates()).extracting(PairEstimate::pair)
                .containsExactly(HostPair.of("a", "b"), HostPair.of("a", "c"), HostPair.of("b", "c"));
        assertThat(solution.clocks()).containsOnlyKeys("a", "b", "c");
        HostClock cClock = solution.clock("c").orElseThrow();
        // Whichever path wins, it is the one with the smaller bound.
        PairEstimate ac = graph.model(HostPair.of("a", "c")).orElseThrow().estimate().orElseThrow();
        assertThat(cClock.errorBoundNs()).isLessThanOrEqualTo(ac.errorBoundNs() + 1);
        assertEveryClockWithinItsBound(solution);
    }

    @Test
    void shouldRestartAfterAHostsClockIsSetAndAlignAgain() {
        SimClock stepped = new SimClock("b", 37 * MS, 20).stepAt(T + 100 * SECOND, 50 * MS);
        SimNetwork net = new SimNetwork(41);
        List<Observation> sightings = new ArrayList<>();
        for (int i = 0; i < 200 * 5; i++) {
            sightings.addAll(net.handshakeObservations(a, stepped, T + i * 200 * MS));
        }

        ClockGraph graph = feed(sightings, new HandshakeMatcher(), 42);
        ClockSolution solution = new ClockSolver().solveAtLatest(graph.estimates());

        HostClock bClock = solution.clock("b").orElseThrow();
        assertThat(bClock.steps()).isEqualTo(1);
        assertThat(Math.abs(bClock.offsetNs() - stepped.offsetAt(solution.atReferenceNs())))
                .isLessThanOrEqualTo(bClock.errorBoundNs());
        assertThat(bClock.offsetNs()).isBetween(87 * MS, 87 * MS + 5 * MS);
    }
}
