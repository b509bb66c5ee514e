package io.headerlog.testing;

import io.headerlog.collector.bpf.RingBufferReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Drains a {@link RingBufferReader} on a background thread into a list of {@link RawEvent}s that
 * tests wait on. Close it before the reader.
 */
public final class EventCollector implements AutoCloseable {

    private final RingBufferReader reader;
    private final List<RawEvent> events = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public EventCollector(RingBufferReader reader) {
        this.reader = reader;
        this.thread = new Thread(this::loop, "event-collector");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                if (reader.awaitData(10)) {
                    reader.drain((data, offset, length) -> add(RawEvent.read(data, offset, length)), 4096);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private synchronized void add(RawEvent e) {
        events.add(e);
        notifyAll();
    }

    /** Everything collected so far. */
    public synchronized List<RawEvent> all() {
        return List.copyOf(events);
    }

    /** Those collected so far that match. */
    public synchronized List<RawEvent> matching(Predicate<RawEvent> filter) {
        return events.stream().filter(filter).toList();
    }

    /** Waits until {@code count} matching events were collected and returns them (in ring order). */
    public synchronized List<RawEvent> await(Predicate<RawEvent> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (failure != null) {
                throw new IllegalStateException("the ring reader failed", failure);
            }
            List<RawEvent> hits = events.stream().filter(filter).toList();
            if (hits.size() >= count) {
                return hits;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                List<RawEvent> recent = events.subList(Math.max(0, events.size() - 20), events.size());
                throw new AssertionError("expected " + count + " matching events within " + timeout + ", got "
                        + hits.size() + " " + hits + " of " + events.size() + " collected; the last ones: " + recent);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** The first matching event, waiting up to {@code timeout}. */
    public RawEvent awaitOne(Predicate<RawEvent> filter, Duration timeout) {
        return await(filter, 1, timeout).get(0);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
