package io.headerlog.streams.clock;

import java.util.Objects;

/**
 * One request/response exchange seen at both ends, NTP style: the request leaves {@code hostA} at
 * {@code t1} and reaches {@code hostB} at {@code t2}; the response leaves {@code hostB} at {@code t3}
 * and reaches {@code hostA} at {@code t4}. {@code t1} and {@code t4} are on A's clock, {@code t2} and
 * {@code t3} on B's clock, all in ns since the epoch.
 *
 * <p>Sign convention used everywhere in this package: an offset is "clock of the second host minus
 * clock of the first", here {@code offsetNs() = B − A}, so B's time = A's time + offset.
 *
 * <p>A sample with a negative delay is rejected at construction: the delay
 * {@code (t4 − t1) − (t3 − t2)} does not depend on the two clocks' offsets, so a negative one cannot
 * come from clocks that disagree — only from timestamps that are wrong (a clock stepped back during
 * the exchange) or from observations that do not belong together (a retransmission paired with the
 * wrong original, or two forwarders paired in the wrong order). Such a sample would also claim a
 * negative error interval. {@link HandshakeMatcher} checks {@link #isConsistent} first and counts
 * these instead of throwing; only code that builds samples by hand sees the exception.
 */
public record ClockSample(String hostA, String hostB, long t1, long t2, long t3, long t4) {

    public ClockSample {
        requireHost("hostA", hostA);
        requireHost("hostB", hostB);
        if (hostA.equals(hostB)) {
            throw new IllegalArgumentException("a clock sample needs two hosts, both were '" + hostA + "'");
        }
        if (t3 < t2) {
            throw new IllegalArgumentException("response left " + hostB + " (t3=" + t3
                    + ") before the request reached it (t2=" + t2 + "); B's clock went back or the packets do not belong together");
        }
        if (!isConsistent(t1, t2, t3, t4)) {
            throw new IllegalArgumentException("negative delay: (t4-t1)-(t3-t2) = (" + t4 + "-" + t1 + ")-(" + t3 + "-" + t2
                    + ") < 0; the exchange between " + hostA + " and " + hostB + " is not causal (wrong pairing or a clock step)");
        }
    }

    /**
     * Whether {@code t1..t4} can form a sample: the responder held the request for a non-negative
     * time and the round trip seen by the requester is at least that long. Never throws; every
     * subtraction here is exact for any ns-since-epoch values of this century, and extreme inputs
     * are caught by {@link Math#subtractExact}.
     */
    public static boolean isConsistent(long t1, long t2, long t3, long t4) {
        try {
            long held = Math.subtractExact(t3, t2);
            long roundTrip = Math.subtractExact(t4, t1);
            return held >= 0 && roundTrip >= held;
        } catch (ArithmeticException overflow) {
            return false;
        }
    }

    /** Clock of B minus clock of A, {@code ((t2 − t1) + (t3 − t4)) / 2}, rounded towards −∞. */
    public long offsetNs() {
        // Each difference is exact (checked in the constructor's path); their sum is at most twice
        // the spread of real epoch timestamps, far from overflow, but stay exact anyway.
        long sum = Math.addExact(Math.subtractExact(t2, t1), Math.subtractExact(t3, t4));
        return Math.floorDiv(sum, 2);
    }

    /**
     * The round trip minus the responder's holding time, {@code (t4 − t1) − (t3 − t2)} ≥ 0. The true
     * offset lies within {@code offsetNs() ± delayNs() / 2} whatever the split of the delay between
     * the two directions.
     */
    public long delayNs() {
        return Math.subtractExact(Math.subtractExact(t4, t1), Math.subtractExact(t3, t2));
    }

    /** Middle of the exchange on A's clock, {@code (t1 + t4) / 2} without overflowing. */
    public long midpointANs() {
        return t1 + Math.floorDiv(Math.subtractExact(t4, t1), 2);
    }

    /**
     * Middle of the responder's holding time on B's clock, {@code (t2 + t3) / 2}. With symmetric
     * delays it is the same instant as {@link #midpointANs()}, which is what lets a sample be read
     * from either host's side.
     */
    public long midpointBNs() {
        return t2 + Math.floorDiv(Math.subtractExact(t3, t2), 2);
    }

    /** Whether {@code host} is one of the two ends. */
    public boolean involves(String host) {
        return hostA.equals(host) || hostB.equals(host);
    }

    private static void requireHost(String name, String host) {
        Objects.requireNonNull(host, name + " must be set");
        if (host.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
