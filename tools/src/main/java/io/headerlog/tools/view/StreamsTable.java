package io.headerlog.tools.view;

import io.headerlog.schema.StreamsStats;
import io.headerlog.tools.view.SummarySnapshot.StreamsLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The newest two StreamsStats snapshots of every streams-app instance: counters are cumulative, so
 * the newest says where an instance stands and the one before it gives the rates. Not thread-safe,
 * like {@link TrafficSummary}, which owns it.
 */
final class StreamsTable {
    /**
     * An instance whose newest snapshot is this many of its intervals older than the view's start
     * belongs to an earlier run (the view reads a backlog of streams.stats): not shown.
     */
    static final int STALE_INTERVALS = 3;

    private final long viewStartMs;
    private final Map<String, Pair> instances = new TreeMap<>();

    StreamsTable(long viewStartMs) {
        this.viewStartMs = viewStartMs;
    }

    void add(StreamsStats s) {
        instances.computeIfAbsent(s.getApplicationId() + "/" + s.getInstanceId(), k -> new Pair()).add(s);
    }

    /** Every current instance, ordered by application/instance. */
    List<StreamsLine> snapshot() {
        List<StreamsLine> lines = new ArrayList<>();
        instances.values().forEach(p -> {
            long newestMs = p.latest.getTimeNs() / 1_000_000L;
            if (newestMs >= viewStartMs - STALE_INTERVALS * Math.max(1, p.latest.getIntervalMs())) {
                lines.add(new StreamsLine(p.latest, p.previous));
            }
        });
        return lines;
    }

    private static final class Pair {
        StreamsStats latest;
        StreamsStats previous;

        void add(StreamsStats s) {
            if (latest == null || s.getTimeNs() > latest.getTimeNs()) {
                previous = latest;
                latest = s;
            } else if (s.getTimeNs() < latest.getTimeNs() && (previous == null || s.getTimeNs() > previous.getTimeNs())) {
                previous = s; // arrived out of order, still newer than what we had before the newest
            }
        }
    }
}
