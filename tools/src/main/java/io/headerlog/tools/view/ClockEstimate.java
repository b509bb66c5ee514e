package io.headerlog.tools.view;

import io.headerlog.schema.ClockOffset;
import java.util.List;

/**
 * One host's clock estimate as the streams app published it on clock.offsets (see
 * docs/clock-model.md): the host's clock minus the reference host's clock, within an error bound.
 *
 * @param offsetNs     host clock minus reference clock, ns (positive: the host's clock is ahead)
 * @param errorBoundNs the true offset lies within offsetNs ± this, ns
 * @param driftPpm     how fast the offset grows, ppm
 * @param samples      packet exchanges the estimate rests on, over every pair on the path
 * @param steps        clock steps detected on the host's pairs since the streams app started
 * @param path         hosts whose pair estimates were composed, {@code [host, …, reference]}
 * @param computedAtMs wall-clock time the streams app computed the estimate
 */
public record ClockEstimate(String host, String reference, long offsetNs, long errorBoundNs, double driftPpm,
        int samples, long steps, List<String> path, long computedAtMs) {

    public ClockEstimate {
        path = List.copyOf(path);
    }

    static ClockEstimate of(ClockOffset r) {
        return new ClockEstimate(r.getHost(), r.getReference(), r.getOffsetNs(), r.getErrorBoundNs(),
                r.getDriftPpm(), r.getSamples(), r.getSteps(), r.getPath(), r.getComputedAtMs());
    }

    /** Whether this host is the reference itself (offset 0 by definition). */
    public boolean isReference() {
        return host.equals(reference);
    }

    /**
     * Whether both say the same about the clock, whenever they were computed: the streams app
     * republishes every host's estimate when any host's changes, and a repeat is no new history.
     */
    boolean sameEstimateAs(ClockEstimate other) {
        return reference.equals(other.reference) && offsetNs == other.offsetNs
                && errorBoundNs == other.errorBoundNs && Double.compare(driftPpm, other.driftPpm) == 0
                && samples == other.samples && steps == other.steps && path.equals(other.path);
    }
}
