package io.headerlog.streams.clock;

import java.util.List;
import java.util.Objects;

/**
 * One host's clock relative to the reference host — what goes to clock.offsets.
 *
 * <p>Sign convention: {@code offset = host clock − reference clock}, so
 * {@code reference time = host time − offset(t)} with
 * {@code offset(t) = offsetNs + driftPpm · 10⁻⁶ · (t − validFromNs)}, t on the reference clock.
 *
 * @param host          the host this describes
 * @param reference     the host all offsets are relative to
 * @param offsetNs      host clock minus reference clock at validFromNs
 * @param driftPpm      how fast the offset grows: ns per ms of reference time
 * @param errorBoundNs  the true offset at validFromNs lies within offsetNs ± errorBoundNs
 * @param driftBoundPpm how fast that bound widens away from validFromNs (bound on the drift's error)
 * @param samples       samples the estimate rests on, summed over the pairs of the path
 * @param validFromNs   the time, on the <b>reference</b> clock, the offset is given for
 * @param path          hosts from this host to the reference whose pair estimates were composed:
 *                      {@code [host, …, reference]}; just {@code [reference]} for the reference itself
 * @param steps         clock steps detected on the pairs of the path
 */
public record HostClock(String host, String reference, long offsetNs, double driftPpm, long errorBoundNs,
        double driftBoundPpm, int samples, long validFromNs, List<String> path, long steps) {

    /** One hour: the largest error bound an aligned time may carry (see {@link #usableAt}). */
    public static final long MAX_USEFUL_BOUND_NS = 3_600_000_000_000L;


    public HostClock {
        Objects.requireNonNull(host, "host must be set");
        Objects.requireNonNull(reference, "reference must be set");
        path = List.copyOf(path);
        if (host.isBlank() || reference.isBlank()) {
            throw new IllegalArgumentException("host and reference must not be blank");
        }
        // Beyond ±10⁶ ppm a clock would stand still or run backwards relative to the reference.
        if (!(Math.abs(driftPpm) < 1e6)) {
            throw new IllegalArgumentException("drift must be finite and within ±10^6 ppm, was " + driftPpm);
        }
        if (errorBoundNs < 0 || !(driftBoundPpm >= 0) || Double.isInfinite(driftBoundPpm)) {
            throw new IllegalArgumentException("error bounds must be finite and >= 0, were " + errorBoundNs + " ns, "
                    + driftBoundPpm + " ppm");
        }
        if (samples < 0 || steps < 0) {
            throw new IllegalArgumentException("samples and steps must be >= 0, were " + samples + ", " + steps);
        }
        if (path.isEmpty() || !path.get(0).equals(host) || !path.get(path.size() - 1).equals(reference)) {
            throw new IllegalArgumentException("path must run from " + host + " to " + reference + ", was " + path);
        }
        if (host.equals(reference) && (offsetNs != 0 || driftPpm != 0 || path.size() != 1)) {
            throw new IllegalArgumentException("the reference has offset 0, drift 0 and path [itself]");
        }
    }

    /** The reference's own clock: offset 0, exact. */
    public static HostClock ofReference(String reference, long validFromNs) {
        return new HostClock(reference, reference, 0, 0.0, 0, 0.0, 0, validFromNs, List.of(reference), 0);
    }

    public boolean isReference() {
        return host.equals(reference);
    }

    /** validFromNs read on this host's clock: the same instant, plus the offset. */
    public long validFromHostNs() {
        return Math.addExact(validFromNs, offsetNs);
    }

    /**
     * {@code hostTimeNs} (ns since the epoch on this host's clock) on the reference clock:
     * {@code hostTime − (offset + drift · 10⁻⁶ · elapsed)}, elapsed being reference time since
     * validFrom. The host clock ran {@code 1 + drift · 10⁻⁶} times as fast, so elapsed is
     * {@code (hostTime − offset − validFrom) / (1 + drift · 10⁻⁶)} — exact for the linear model;
     * leaving out the division would be off by drift² · elapsed (1.4 µs after an hour at 20 ppm).
     * Throws ArithmeticException only when the result is not a long (garbage input).
     */
    public long alignedTime(long hostTimeNs) {
        return Math.subtractExact(hostTimeNs, offsetAt(hostTimeNs));
    }

    /** Host clock minus reference clock at host time {@code hostTimeNs}, drift included. */
    public long offsetAt(long hostTimeNs) {
        // A double holds elapsed times of days to the ns; the product is ns-accurate.
        return Math.addExact(offsetNs, Math.round(driftPpm * 1e-6 * elapsedReferenceNs(hostTimeNs)));
    }

    /** The inverse of {@link #alignedTime}: what this host's clock read at reference time refTimeNs. */
    public long hostTime(long refTimeNs) {
        long elapsed = Math.subtractExact(refTimeNs, validFromNs);
        return Math.addExact(Math.addExact(refTimeNs, offsetNs), Math.round(driftPpm * 1e-6 * (double) elapsed));
    }

    /**
     * The error bound of {@link #alignedTime} at host time {@code hostTimeNs}: errorBoundNs at
     * validFrom, widening by driftBoundPpm per unit of time away from it (saturates at Long.MAX_VALUE).
     */
    public long errorBoundAt(long hostTimeNs) {
        double widening = driftBoundPpm * 1e-6 * Math.abs(elapsedReferenceNs(hostTimeNs));
        double bound = errorBoundNs + Math.ceil(widening);
        return bound >= (double) Long.MAX_VALUE ? Long.MAX_VALUE : (long) bound;
    }

    /**
     * Whether an aligned time at {@code hostTimeNs} says anything: its error bound is at most
     * {@link #MAX_USEFUL_BOUND_NS}. A bound beyond that (a fresh model with a wide drift bound, far
     * from its validFrom) aligns nothing a network delay could be read from, and sums of such bounds
     * (a hop's error is the sum of two) would overflow.
     */
    public boolean usableAt(long hostTimeNs) {
        return usable(errorBoundAt(hostTimeNs));
    }

    /** Whether an aligned time with this error bound says anything (see {@link #usableAt}). */
    public static boolean usable(long errorBoundNs) {
        return errorBoundNs <= MAX_USEFUL_BOUND_NS;
    }

    /** Reference time from validFrom to the instant this host's clock reads {@code hostTimeNs}. */
    private double elapsedReferenceNs(long hostTimeNs) {
        long onHostClock = Math.subtractExact(Math.subtractExact(hostTimeNs, offsetNs), validFromNs);
        return onHostClock / (1 + driftPpm * 1e-6);
    }
}
