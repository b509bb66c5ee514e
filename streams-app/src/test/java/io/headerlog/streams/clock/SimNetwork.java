package io.headerlog.streams.clock;

import java.util.List;
import java.util.Random;

/**
 * Synthetic one-way delays (a base, exponential jitter, occasional queueing spikes; optionally a
 * different base per direction) and the handshakes they make between {@link SimClock}s.
 */
final class SimNetwork {
    private final Random random;
    private long forwardBaseNs = 50_000;
    private long backwardBaseNs = 50_000;
    private double jitterMeanNs = 10_000;
    private double spikeProbability = 0.05;
    private long spikeNs = 5_000_000;
    private long holdNs = 20_000;
    private long flows;

    SimNetwork(long seed) {
        this.random = new Random(seed);
    }

    /** Base one-way delay request direction / response direction (asymmetric paths). */
    SimNetwork bases(long forwardNs, long backwardNs) {
        this.forwardBaseNs = forwardNs;
        this.backwardBaseNs = backwardNs;
        return this;
    }

    SimNetwork spikes(double probability, long ns) {
        this.spikeProbability = probability;
        this.spikeNs = ns;
        return this;
    }

    SimNetwork jitter(double meanNs) {
        this.jitterMeanNs = meanNs;
        return this;
    }

    private long oneWay(long baseNs) {
        double jitter = -jitterMeanNs * Math.log(1 - random.nextDouble());
        double spike = random.nextDouble() < spikeProbability ? random.nextDouble() * spikeNs : 0;
        return baseNs + Math.round(jitter + spike);
    }

    /** True times of one exchange starting at {@code startNs}: request sent/received, response sent/received. */
    long[] trueTimes(long startNs) {
        long t1 = startNs;
        long t2 = t1 + oneWay(forwardBaseNs);
        long t3 = t2 + holdNs + random.nextInt(20_000);
        long t4 = t3 + oneWay(backwardBaseNs);
        return new long[] {t1, t2, t3, t4};
    }

    /** The sample of a handshake a → b that starts at true time {@code startNs}. */
    ClockSample handshake(SimClock a, SimClock b, long startNs) {
        long[] t = trueTimes(startNs);
        return new ClockSample(a.host, b.host, a.read(t[0]), b.read(t[1]), b.read(t[2]), a.read(t[3]));
    }

    /**
     * The four sightings of a TCP handshake a → b (SYN out at a, in at b, SYN-ACK out at b, in at a)
     * on a new flow, in that order.
     */
    List<Observation> handshakeObservations(SimClock a, SimClock b, long startNs) {
        long[] t = trueTimes(startNs);
        String flow = "1:flow-" + (++flows);
        long syn = random.nextLong();
        long synAck = random.nextLong();
        return List.of(
                tcp(a.host, true, a.read(t[0]), syn, flow, Observation.SYN),
                tcp(b.host, false, b.read(t[1]), syn, flow, Observation.SYN),
                tcp(b.host, true, b.read(t[2]), synAck, flow, Observation.SYN | Observation.ACK),
                tcp(a.host, false, a.read(t[3]), synAck, flow, Observation.SYN | Observation.ACK));
    }

    static Observation tcp(String host, boolean egress, long timeNs, long hash, String flow, int flags) {
        return Observation.tcpHandshake(host, egress, timeNs, hash, flow, flags).orElseThrow();
    }
}
