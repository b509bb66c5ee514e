package io.headerlog.streams.clock;

import java.util.Objects;

/**
 * What one {@link PairClockModel} knows about the clocks of its two hosts: the offset "second minus
 * first" as a line over time on the first host's clock.
 *
 * @param pair          the two hosts
 * @param validFromNs   time on {@code pair.first()}'s clock the estimate is for (the newest sample)
 * @param offsetNs      clock of {@code pair.second()} minus clock of {@code pair.first()} at validFromNs
 * @param driftPpm      how fast that offset grows, ns per ms of first's time (0 until fitted)
 * @param errorBoundNs  the true offset at validFromNs lies within offsetNs ± errorBoundNs
 * @param driftBoundPpm bound on the drift's error (the assumed maximum while drift is not fitted);
 *                      the bound at another time t widens by driftBoundPpm · |t − validFromNs|
 * @param samples       points the fit used (lowest-delay sample per bucket)
 * @param minDelayNs    smallest delay among them
 * @param steps         clock steps this pair's model detected and restarted after
 */
public record PairEstimate(HostPair pair, long validFromNs, long offsetNs, double driftPpm, long errorBoundNs,
        double driftBoundPpm, int samples, long minDelayNs, long steps) {

    public PairEstimate {
        Objects.requireNonNull(pair, "pair must be set");
        if (!Double.isFinite(driftPpm)) {
            throw new IllegalArgumentException("drift must be finite, was " + driftPpm);
        }
        if (errorBoundNs < 0) {
            throw new IllegalArgumentException("error bound must be >= 0, was " + errorBoundNs);
        }
        if (!(driftBoundPpm >= 0) || Double.isInfinite(driftBoundPpm)) {
            throw new IllegalArgumentException("drift bound must be finite and >= 0, was " + driftBoundPpm);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("an estimate rests on at least one sample, was " + samples);
        }
        if (minDelayNs < 0 || steps < 0) {
            throw new IllegalArgumentException("min delay and steps must be >= 0, were " + minDelayNs + ", " + steps);
        }
    }

    /** Second minus first at {@code timeNs} on first's clock, drift included. */
    public double offsetAt(long timeNs) {
        return offsetNs + driftPpm * 1e-6 * (double) (timeNs - validFromNs);
    }

    /** The error bound at {@code timeNs} on first's clock: it widens away from validFromNs. */
    public double errorBoundAt(long timeNs) {
        return errorBoundNs + driftBoundPpm * 1e-6 * Math.abs((double) (timeNs - validFromNs));
    }
}
