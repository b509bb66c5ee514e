package io.headerlog.tools.view;

import java.util.List;

/** Where a host's error bound is heading over its recent estimates: what "converging" looks like. */
enum ClockTrend {
    NARROWING("error narrowing"),
    WIDENING("error widening"),
    STEADY("error steady");

    // Changes within ±10 % of the oldest bound are noise of the fit, not a trend.
    private static final double TOLERANCE = 0.10;

    private final String label;

    ClockTrend(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The trend from the oldest to the newest of {@code estimates} (oldest first), or null for fewer than two. */
    static ClockTrend of(List<ClockEstimate> estimates) {
        if (estimates.size() < 2) {
            return null;
        }
        long oldest = estimates.get(0).errorBoundNs();
        long newest = estimates.get(estimates.size() - 1).errorBoundNs();
        double margin = oldest * TOLERANCE;
        if (newest < oldest - margin) {
            return NARROWING;
        }
        if (newest > oldest + margin) {
            return WIDENING;
        }
        return STEADY;
    }
}
