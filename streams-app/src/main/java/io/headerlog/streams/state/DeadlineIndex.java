package io.headerlog.streams.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A task's store keys by deadline, in memory beside the store: which entries are due is a question
 * on every record or punctuation, and answering it by iterating a key-value store would cost a full
 * scan each time. Rebuilt from the store when a task starts (the stores using it are bounded, so that
 * is cheap). The unit of the deadlines is the caller's (ns of event time, ms of stream time, …).
 */
public final class DeadlineIndex {
    private record Entry(long deadline, String key) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::deadline).thenComparing(Entry::key);

    private final NavigableSet<Entry> byDeadline = new TreeSet<>(ORDER);
    private final Map<String, Long> deadlines = new HashMap<>();

    /** Sets (or moves) the deadline of {@code key}. */
    public void put(String key, long deadline) {
        Long old = deadlines.put(key, deadline);
        if (old != null) {
            byDeadline.remove(new Entry(old, key));
        }
        byDeadline.add(new Entry(deadline, key));
    }

    public void remove(String key) {
        Long old = deadlines.remove(key);
        if (old != null) {
            byDeadline.remove(new Entry(old, key));
        }
    }

    public boolean contains(String key) {
        return deadlines.containsKey(key);
    }

    public int size() {
        return deadlines.size();
    }

    public boolean isEmpty() {
        return deadlines.isEmpty();
    }

    /** The key with the earliest deadline; null when empty. */
    public String earliest() {
        return byDeadline.isEmpty() ? null : byDeadline.first().key();
    }

    /** The key with the earliest deadline if that deadline is at or before {@code now}; else null. */
    public String dueAt(long now) {
        if (byDeadline.isEmpty() || byDeadline.first().deadline() > now) {
            return null;
        }
        return byDeadline.first().key();
    }

    /** Keys whose deadline is at or before {@code now}, earliest first (a copy: callers update the index). */
    public List<String> due(long now) {
        List<String> keys = new ArrayList<>();
        for (Entry e : byDeadline) {
            if (e.deadline() > now) {
                break;
            }
            keys.add(e.key());
        }
        return keys;
    }

    /** The latest deadline; Long.MIN_VALUE when empty. */
    public long latestDeadline() {
        return byDeadline.isEmpty() ? Long.MIN_VALUE : byDeadline.last().deadline();
    }
}
