package io.headerlog.streams.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pairs requests and responses of one connection, separately for every observer: each observer's
 * records are on its own host's clock and in its own capture order, so its latency needs no clock
 * alignment and its pairs never depend on other hosts' records.
 */
final class ConnectionPairing {
    private final Map<ObserverId, ObserverQueue> observers = new LinkedHashMap<>();

    ConnectionPairing() {
    }

    /** Restores pairing state from its stored form. */
    ConnectionPairing(Map<ObserverId, ObserverQueue> observers) {
        this.observers.putAll(observers);
    }

    /** A request seen by an observer: it waits until {@code deadlineMs} for its response. */
    void request(HttpMessage m, long deadlineMs, int maxOpen, HttpCounters counters) {
        ObserverQueue q = observers.computeIfAbsent(m.observer(), id -> new ObserverQueue());
        if (!q.acceptRequest(m.tcpSeq(), m.appMessageIndex())) {
            counters.recordRetransmission();
            return;
        }
        counters.recordRequest();
        if (q.open(m.requestInfo(), m.stamp(), deadlineMs, maxOpen) != null) {
            counters.recordEvictedRequest();
        }
    }

    /**
     * A response seen by an observer: completes that observer's oldest open request.
     *
     * @return the completed view, or null (interim response, retransmission, or no open request)
     */
    ObserverView response(HttpMessage m, HttpCounters counters) {
        if (m.interim()) {
            counters.recordInterimResponse();
            return null;
        }
        ObserverQueue q = observers.computeIfAbsent(m.observer(), id -> new ObserverQueue());
        if (!q.acceptResponse(m.tcpSeq(), m.appMessageIndex())) {
            counters.recordRetransmission();
            return null;
        }
        counters.recordResponse();
        OpenRequest r = q.answer();
        if (r == null) {
            counters.recordOrphanResponse();
            return null;
        }
        counters.recordView(true);
        return ObserverView.answered(m.observer(), r, m.stamp(), m.statusCode(), m.reason());
    }

    /** An unanswered view and the stream time it became one (its request's deadline). */
    record Unanswered(ObserverView view, long atMs) {
    }

    /** Requests past their deadline, as unanswered views. */
    List<Unanswered> expire(long nowMs, HttpCounters counters) {
        List<Unanswered> views = new ArrayList<>();
        observers.forEach((id, q) -> {
            for (OpenRequest r : q.expire(nowMs)) {
                counters.recordView(false);
                views.add(new Unanswered(ObserverView.unanswered(id, r), r.deadlineMs()));
            }
        });
        return views;
    }

    /**
     * Hosts that forward this connection: they saw requests leave on one interface and arrive on
     * another. Their views look like a client's on one side and a server's on the other, so they
     * must not stand in for either. One host seeing both directions on one interface is loopback
     * (client and server on that host) and is not a forwarder.
     *
     * <p>A forwarder publishes its arriving copy of a request before the leaving one (one producer
     * keeps its order in the partition), so by the time either of its views completes, both of its
     * observers exist here.
     */
    Set<String> middleHosts() {
        Set<String> middle = new TreeSet<>();
        for (ObserverId a : observers.keySet()) {
            for (ObserverId b : observers.keySet()) {
                if (a.role() == Role.CLIENT && b.role() == Role.SERVER && a.host().equals(b.host())
                        && !a.ifName().equals(b.ifName())) {
                    middle.add(a.host());
                }
            }
        }
        return middle;
    }

    /** Drops every observer's count and position (only called when none has an open request). */
    void forget() {
        observers.clear();
    }

    int openRequests() {
        int n = 0;
        for (ObserverQueue q : observers.values()) {
            n += q.openRequests().size();
        }
        return n;
    }

    boolean hasOpenRequests() {
        return observers.values().stream().anyMatch(ObserverQueue::hasOpen);
    }

    long nextDeadlineMs() {
        long min = Long.MAX_VALUE;
        for (ObserverQueue q : observers.values()) {
            min = Math.min(min, q.nextDeadlineMs());
        }
        return min;
    }

    Map<ObserverId, ObserverQueue> observers() {
        return observers;
    }
}
