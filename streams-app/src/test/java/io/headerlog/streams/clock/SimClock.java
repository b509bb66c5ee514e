package io.headerlog.streams.clock;

/**
 * A synthetic host clock: what the host reads at a true instant. True time is the reference host's
 * clock in the tests (the reference is given offset 0 and drift 0).
 */
final class SimClock {
    /** A realistic epoch time (late 2023), so the code is tested with epoch-sized values. */
    static final long T0 = 1_700_000_000_000_000_000L;

    final String host;
    private final long offsetNs;
    private final double driftPpm;
    private long stepAtNs = Long.MAX_VALUE;
    private long stepNs;

    SimClock(String host, long offsetNs, double driftPpm) {
        this.host = host;
        this.offsetNs = offsetNs;
        this.driftPpm = driftPpm;
    }

    static SimClock reference(String host) {
        return new SimClock(host, 0, 0);
    }

    /** From true time {@code atNs} on, the clock reads {@code byNs} more (someone set it). */
    SimClock stepAt(long atNs, long byNs) {
        this.stepAtNs = atNs;
        this.stepNs = byNs;
        return this;
    }

    /** Host clock minus true time at true time {@code trueNs}. */
    double offsetAt(long trueNs) {
        return offsetNs + driftPpm * 1e-6 * (trueNs - T0) + (trueNs >= stepAtNs ? stepNs : 0);
    }

    long read(long trueNs) {
        return trueNs + Math.round(offsetAt(trueNs));
    }
}
