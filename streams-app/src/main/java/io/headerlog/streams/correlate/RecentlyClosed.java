package io.headerlog.streams.correlate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event-time spans of packets closed lately, so that a sighting arriving after its packet was
 * emitted is counted as late instead of opening a new, lonely packet that would later be counted as
 * "seen at one host" — that would blame matching for what is lateness. Bounded LRU in memory: after
 * a restart, or for packets closed long ago, such a sighting is judged by the window rule alone.
 */
final class RecentlyClosed {
    private record Span(long startNs, long endNs) {
    }

    private final Map<String, Span> spans;

    RecentlyClosed(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("max entries must be >= 1, was " + maxEntries);
        }
        this.spans = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Span> eldest) {
                return size() > maxEntries;
            }
        };
    }

    void closed(String key, long startNs, long endNs) {
        spans.remove(key); // re-insert: insertion order is closing order
        spans.put(key, new Span(startNs, endNs));
    }

    /** Whether a sighting of {@code key} at {@code t} would have joined a packet already closed. */
    boolean belongsToClosed(String key, long t, long windowNs) {
        Span s = spans.get(key);
        return s != null && TimeMath.spanWith(s.startNs(), s.endNs(), t) < windowNs;
    }

    int size() {
        return spans.size();
    }
}
