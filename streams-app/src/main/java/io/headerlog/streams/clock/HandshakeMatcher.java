package io.headerlog.streams.clock;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns packet sightings into {@link ClockSample}s: the same request packet (same flow key, same
 * packet hash) seen leaving one host and arriving at another, and the response to it seen going the
 * opposite way, leaving the request's receiver and arriving back at its sender.
 *
 * <p>Sightings of one exchange may arrive in any order (different collectors publish with different
 * lags); each one is matched against everything held for its exchange, and a sample is returned as
 * soon as its four timestamps are known.
 *
 * <p>Memory is bounded two ways. An exchange expires {@link MatcherConfig#expiry()} after it was
 * first reported, measured on the clock of the host that reported it — per host, because host clocks
 * are what this class helps to align and can be seconds apart, so no single "now" exists. And at most
 * {@link MatcherConfig#maxExchanges()} exchanges are held; the oldest goes first. Both are counted in
 * {@link #stats()}.
 *
 * <p>Not thread-safe: one instance per stream task.
 */
public final class HandshakeMatcher {
    private record ExchangeKey(String flowKey, String exchange) {
    }

    private record Expiry(long timeNs, ExchangeKey key, Exchange exchange) {
    }

    private final MatcherConfig config;
    private final MatcherCounters counters = new MatcherCounters();
    // Insertion order = order of first report, so the eldest entry is the one to evict.
    private final LinkedHashMap<ExchangeKey, Exchange> inFlight = new LinkedHashMap<>();
    // Per reporting host: the exchanges it reported first, in arrival order, and its latest time.
    private final Map<String, ArrayDeque<Expiry>> expiryQueues = new HashMap<>();
    private final Map<String, Long> latestTimeByHost = new HashMap<>();
    private int queuedExpiries;

    public HandshakeMatcher(MatcherConfig config) {
        this.config = Objects.requireNonNull(config, "matcher config must be set");
    }

    public HandshakeMatcher() {
        this(MatcherConfig.DEFAULTS);
    }

    /** Adds one sighting; returns the samples it completes, usually none, never null. */
    public List<ClockSample> offer(Observation o) {
        Objects.requireNonNull(o, "observation must be set");
        counters.observations++;
        // Latest, not highest: a single garbage timestamp far in the future must not expire every
        // later exchange of that host on arrival.
        latestTimeByHost.put(o.host(), o.timeNs());
        expire(o.host());
        ExchangeKey key = new ExchangeKey(o.flowKey(), o.exchange());
        Exchange exchange = inFlight.get(key);
        if (exchange == null) {
            exchange = new Exchange(o);
            inFlight.put(key, exchange);
            expiryQueues.computeIfAbsent(o.host(), h -> new ArrayDeque<>())
                    .addLast(new Expiry(o.timeNs(), key, exchange));
            queuedExpiries++;
            evictOverCapacity();
        }
        return exchange.add(o, config, counters);
    }

    /** Counters so far and the number of exchanges held now. */
    public MatcherStats stats() {
        return counters.snapshot(inFlight.size());
    }

    /** Exchanges held now. */
    public int inFlight() {
        return inFlight.size();
    }

    public MatcherConfig config() {
        return config;
    }

    /** Entries in the expiry queues, live or stale (for tests of the memory bound). */
    int queuedExpiries() {
        return queuedExpiries;
    }

    private void expire(String host) {
        ArrayDeque<Expiry> queue = expiryQueues.get(host);
        if (queue == null) {
            return;
        }
        long latest = latestTimeByHost.get(host);
        // Only the head is checked: a host's sightings come nearly in time order, so its queue is
        // nearly sorted. A clock set back leaves older-looking entries at the head until the clock
        // catches up; the capacity bound covers that rare case.
        while (!queue.isEmpty() && isExpired(queue.peekFirst().timeNs(), latest)) {
            Expiry head = queue.pollFirst();
            queuedExpiries--;
            // The entry may be stale: its exchange was evicted, or replaced by a new one of that key.
            if (inFlight.get(head.key()) == head.exchange()) {
                inFlight.remove(head.key());
                counters.expired++;
                countIfUnmatched(head.exchange());
            }
        }
        if (queue.isEmpty()) {
            expiryQueues.remove(host);
        }
    }

    private boolean isExpired(long reportedNs, long latestNs) {
        return latestNs > reportedNs && Exchange.apart(latestNs, reportedNs) > config.expiryNs();
    }

    private void evictOverCapacity() {
        Iterator<Exchange> eldest = inFlight.values().iterator();
        while (inFlight.size() > config.maxExchanges()) {
            Exchange evicted = eldest.next();
            eldest.remove();
            counters.evicted++;
            countIfUnmatched(evicted);
        }
        // Evicted exchanges leave entries in the expiry queues until their time comes; if a host's
        // clock stands still they would pile up, so sweep them out once they outnumber the live ones.
        if (queuedExpiries > 2 * config.maxExchanges() + 64) {
            compactExpiryQueues();
        }
    }

    private void compactExpiryQueues() {
        queuedExpiries = 0;
        Iterator<ArrayDeque<Expiry>> queues = expiryQueues.values().iterator();
        while (queues.hasNext()) {
            ArrayDeque<Expiry> queue = queues.next();
            queue.removeIf(e -> inFlight.get(e.key()) != e.exchange());
            if (queue.isEmpty()) {
                queues.remove();
            }
            queuedExpiries += queue.size();
        }
    }

    private void countIfUnmatched(Exchange exchange) {
        if (!exchange.producedSample()) {
            counters.unmatched++;
        }
    }
}
