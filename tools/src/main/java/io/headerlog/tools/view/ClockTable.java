package io.headerlog.tools.view;

import io.headerlog.schema.ClockOffset;
import io.headerlog.tools.view.SummarySnapshot.HostClockLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every host's clock as the view knows it: the newest estimates from clock.offsets (a short history,
 * so the viewer sees them converge) and how many of the host's enriched records the streams app
 * could put on the reference clock. Hosts seen only in records or stats are kept too: they are the
 * ones without a model yet. Not thread-safe, like {@link TrafficSummary}, which owns it.
 */
final class ClockTable {
    private final int historyLength;
    private final long historySpanMs;
    private final Map<String, HostClock> hosts = new TreeMap<>();

    /**
     * @param historyLength distinct estimates kept per host, newest included (at least 1)
     * @param historySpanMs earlier estimates computed more than this before the newest are dropped
     */
    ClockTable(int historyLength, long historySpanMs) {
        if (historyLength < 1) {
            throw new IllegalArgumentException("history length must be >= 1, was " + historyLength);
        }
        if (historySpanMs < 0) {
            throw new IllegalArgumentException("history span must be >= 0 ms, was " + historySpanMs);
        }
        this.historyLength = historyLength;
        this.historySpanMs = historySpanMs;
    }

    void add(ClockOffset record) {
        host(record.getHost()).add(ClockEstimate.of(record));
    }

    /** Counts one enriched packet record of {@code host}; {@code aligned}: it carries an aligned time. */
    void countRecord(String host, boolean aligned) {
        HostClock h = host(host);
        h.intervalRecords++;
        if (aligned) {
            h.intervalAligned++;
        }
    }

    /** Makes {@code host} show up (as "no model yet" until an estimate arrives). */
    void sawHost(String host) {
        host(host);
    }

    /** Every host, ordered by id, then starts a new interval for the aligned counts. */
    List<HostClockLine> snapshot() {
        List<HostClockLine> lines = new ArrayList<>(hosts.size());
        hosts.forEach((id, h) -> {
            lines.add(new HostClockLine(id, List.copyOf(h.estimates), h.intervalRecords, h.intervalAligned));
            h.intervalRecords = 0;
            h.intervalAligned = 0;
        });
        return lines;
    }

    private HostClock host(String id) {
        return hosts.computeIfAbsent(id, k -> new HostClock());
    }

    private final class HostClock {
        final ArrayDeque<ClockEstimate> estimates = new ArrayDeque<>();
        long intervalRecords;
        long intervalAligned;

        void add(ClockEstimate e) {
            ClockEstimate newest = estimates.peekLast();
            if (newest != null) {
                if (e.computedAtMs() < newest.computedAtMs()) {
                    return; // arrived late (a host's records spread over partitions): not news
                }
                if (!e.reference().equals(newest.reference())) {
                    // offsets to another host are not comparable with the earlier ones
                    estimates.clear();
                } else if (e.sameEstimateAs(newest)) {
                    // republished unchanged: no new history, but the estimate is that much younger
                    estimates.removeLast();
                }
            }
            estimates.addLast(e);
            while (estimates.size() > historyLength
                    || e.computedAtMs() - estimates.peekFirst().computedAtMs() > historySpanMs) {
                estimates.removeFirst();
            }
        }
    }
}
