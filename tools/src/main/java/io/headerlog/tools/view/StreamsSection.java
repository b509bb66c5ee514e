package io.headerlog.tools.view;

import io.headerlog.schema.StreamsCorrelationCounts;
import io.headerlog.schema.StreamsHttpCounts;
import io.headerlog.schema.StreamsStats;
import io.headerlog.tools.view.SummarySnapshot.StreamsLine;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The STREAMS section of the live view, from streams.stats: per streams-app instance the records it
 * reads, its dead letters and aligned share, then what the correlation found (packets seen at two or
 * more hosts per second, match rate, late and evicted sightings) and the HTTP transactions (per
 * second, share with both ends joined, one-sided, late, evicted). Rates are between the instance's
 * newest two snapshots, so they follow its --stats-interval, not the view's refresh.
 */
final class StreamsSection {
    static final String NONE = "  (no streams.stats yet)";

    private StreamsSection() {
    }

    /** {@code clock}: the view's HH:mm:ss formatter (SummaryRenderer's). */
    static void render(StringBuilder out, SummarySnapshot s, DateTimeFormatter clock) {
        SummaryRenderer.line(out, "STREAMS (streams.stats, per app instance; rates between its last two snapshots)");
        if (s.streams().isEmpty()) {
            SummaryRenderer.line(out, "%s", NONE);
        }
        for (StreamsLine l : s.streams()) {
            StreamsStats n = l.latest();
            SummaryRenderer.line(out, "  %-44s %-12s in %s rec/s  dead-letters %d  aligned %s  stats at %s",
                    SummaryRenderer.fit(n.getApplicationId() + "/" + n.getInstanceId(), 44), n.getState() + (n.getLast() ? " (end)" : ""),
                    rate(l.recordsInPerSecond()), n.getRecords().getDeadLetters(), percent(n.getRecords().getAlignedShare()),
                    clock.format(Instant.ofEpochSecond(0, n.getTimeNs())));
            StreamsCorrelationCounts c = n.getCorrelation();
            SummaryRenderer.line(out, "    correlation %9s pkt/s  match %6s  correlated %d  single-host %d  late %d  evicted %d",
                    rate(l.correlatedPerSecond()), percent(c.getMatchRate()), c.getPacketsCorrelated(), c.getPacketsSingleHost(),
                    c.getLate(), c.getPacketsEvicted());
            StreamsHttpCounts h = n.getHttp();
            SummaryRenderer.line(out, "    http        %9s tx/s   match %6s  transactions %d  client-only %d  server-only %d"
                    + "  late %d  evicted %d", rate(l.transactionsPerSecond()), percent(h.getMatchRate()), h.getTransactions(),
                    h.getClientOnly(), h.getServerOnly(), h.getLateRecords() + h.getLateViews(),
                    h.getEvictedRequests() + h.getEvictedViews() + h.getEvictedConnections());
        }
    }

    /** One decimal; "-" until a second snapshot gives a rate. */
    static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** A share as a percentage with one decimal; "-" when there is nothing to share yet. */
    static String percent(Double share) {
        return share == null || share.isNaN() ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
