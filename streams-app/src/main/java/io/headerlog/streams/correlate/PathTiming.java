package io.headerlog.streams.correlate;

import java.util.ArrayList;
import java.util.List;

/**
 * Delays along a packet's path (sightings already in {@link PathOrder}): one per pair of
 * consecutive sightings, and first to last.
 *
 * <p>Between hosts a delay needs both times on one reference clock; its error bound is the sum of
 * the two clock error bounds (each aligned time is within its own bound of the truth, and nothing
 * is known about how the two errors relate). Without alignment it is null: a difference of two
 * hosts' own clocks is mostly their offset, not a delay.
 *
 * <p>Within one host both times come from one clock, so its offset cancels: the forwarding time
 * (a router's ingress to egress) is known even when the host has no clock model, with error 0 but
 * for that clock's rate error over the interval — ppm of a µs-to-ms delay, far below any link's
 * bound. When both are aligned the aligned times are used, so that on a fully aligned path the hops
 * add up exactly to the end-to-end delay.
 */
final class PathTiming {

    /** One hop: from sighting {@code from} to {@code from + 1}. Delay and error are null together. */
    record Hop(int from, int to, String fromHost, String toHost, boolean inHost, Long delayNs, Long errorNs) {
    }

    /**
     * @param aligned   every sighting aligned on one reference: every hop has a delay
     * @param reference the reference clock shared by every aligned sighting; null if none is
     *                  aligned or they disagree (the reference changed while the packet was open)
     */
    record Result(List<Hop> hops, Long endToEndNs, Long endToEndErrorNs, boolean aligned, String reference) {
    }

    /** A delay and its error bound; both null when the delay cannot be known. */
    record Delay(Long ns, Long errorNs) {
        static final Delay UNKNOWN = new Delay(null, null);
    }

    private PathTiming() {
    }

    static Result of(List<Sighting> ordered) {
        List<Hop> hops = new ArrayList<>(Math.max(0, ordered.size() - 1));
        for (int i = 0; i + 1 < ordered.size(); i++) {
            Sighting a = ordered.get(i);
            Sighting b = ordered.get(i + 1);
            Delay d = delay(a, b);
            hops.add(new Hop(i, i + 1, a.host(), b.host(), a.host().equals(b.host()), d.ns(), d.errorNs()));
        }
        Delay e2e = ordered.size() >= 2 ? delay(ordered.get(0), ordered.get(ordered.size() - 1)) : Delay.UNKNOWN;
        String reference = commonReference(ordered);
        boolean aligned = reference != null && ordered.stream().allMatch(Sighting::aligned);
        return new Result(List.copyOf(hops), e2e.ns(), e2e.errorNs(), aligned, reference);
    }

    /** From sighting a to sighting b. */
    static Delay delay(Sighting a, Sighting b) {
        if (a.host().equals(b.host())) {
            Long d = a.alignedWith(b) ? TimeMath.difference(b.alignedTimeNs(), a.alignedTimeNs())
                    : TimeMath.difference(b.captureTimeNs(), a.captureTimeNs());
            return d == null ? Delay.UNKNOWN : new Delay(d, 0L);
        }
        if (!a.alignedWith(b)) {
            return Delay.UNKNOWN;
        }
        Long d = TimeMath.difference(b.alignedTimeNs(), a.alignedTimeNs());
        Long e = TimeMath.sum(a.clockErrorNs(), b.clockErrorNs());
        return d == null || e == null ? Delay.UNKNOWN : new Delay(d, e);
    }

    private static String commonReference(List<Sighting> sightings) {
        String reference = null;
        for (Sighting s : sightings) {
            if (!s.aligned()) {
                continue;
            }
            if (reference == null) {
                reference = s.clockReference();
            } else if (!reference.equals(s.clockReference())) {
                return null;
            }
        }
        return reference;
    }
}
