package io.headerlog.tools.view;

import io.headerlog.tools.view.SummarySnapshot.HostClockLine;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The CLOCKS section of the live view: per host, the newest clock estimate from clock.offsets
 * (reference, offset, error bound, drift, samples, steps, age), the share of its enriched records
 * that were aligned in the interval, and a history line of its recent estimates with the trend of
 * the error bound, so the estimate can be watched converging.
 */
final class ClockSection {
    static final String NO_MODEL = "no model yet";
    // An aligned record means the streams app has an estimate that the view did not read (yet).
    static final String NOT_SEEN = "aligned, estimate not read yet";

    private static final int W = SummaryRenderer.HOST_WIDTH;
    private static final String ROW = "  %-" + W + "s %-" + W + "s %11s %11s %10s %8s %6s %7s %8s%s";
    // Everything between the host and the aligned column, for hosts without an estimate.
    private static final int MIDDLE_WIDTH = W + 11 + 11 + 10 + 8 + 6 + 7 + 6;
    private static final String HISTORY_INDENT = " ".repeat(2 + W + 1);

    private ClockSection() {
    }

    static void render(StringBuilder out, SummarySnapshot s) {
        SummaryRenderer.line(out, "CLOCKS (offset = host clock - reference clock; "
                + "aligned = records with an aligned time, last %.1f s)", s.intervalSeconds());
        SummaryRenderer.line(out, ROW, "host", "reference", "offset ms", "error", "drift ppm", "samples", "steps",
                "age", "aligned", "");
        if (s.clocks().isEmpty()) {
            SummaryRenderer.line(out, "  (no hosts yet)");
        }
        for (HostClockLine h : s.clocks()) {
            String aligned = ClockFormat.share(h.intervalAligned(), h.intervalRecords());
            ClockEstimate e = h.latest();
            if (e == null) {
                SummaryRenderer.line(out, "  %-" + W + "s %-" + MIDDLE_WIDTH + "s %8s", SummaryRenderer.fit(h.host()),
                        h.intervalAligned() > 0 ? NOT_SEEN : NO_MODEL, aligned);
                continue;
            }
            SummaryRenderer.line(out, ROW, SummaryRenderer.fit(h.host()), SummaryRenderer.fit(e.reference()),
                    ClockFormat.offsetMs(e.offsetNs()), "+-" + ClockFormat.bound(e.errorBoundNs()),
                    String.format(Locale.ROOT, "%+.3f", e.driftPpm()), e.samples(), e.steps(),
                    ClockFormat.age(s.atMs() - e.computedAtMs()), aligned, e.isReference() ? "  (reference)" : "");
            if (h.estimates().size() > 1) {
                SummaryRenderer.line(out, "%shistory: %s  (%s)", HISTORY_INDENT, history(h.estimates()),
                        ClockTrend.of(h.estimates()).label());
            }
        }
    }

    /** Oldest first: {@code +37.450 +-1.20ms > +37.020 +-310us}. */
    private static String history(List<ClockEstimate> estimates) {
        StringJoiner joined = new StringJoiner(" > ");
        for (ClockEstimate e : estimates) {
            joined.add(ClockFormat.offsetMs(e.offsetNs()) + " +-" + ClockFormat.bound(e.errorBoundNs()));
        }
        return joined.toString();
    }
}
