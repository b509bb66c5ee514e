package io.headerlog.streams.http;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Joins the client's and the server's views of the same request on one connection. A view waits up
 * to the join window for its other side and goes out one-sided after that; a joined pair goes out as
 * soon as it is found. Reported requests are remembered for a while so that a later view of one —
 * the other side arriving after the window (late) or a second view of a side already reported
 * (duplicate) — is dropped and counted instead of reporting the request twice.
 */
final class ViewJoin {

    /** A view waiting for the other side's view until {@code deadlineMs}. */
    record Pending(ObserverView view, long deadlineMs) {
    }

    /**
     * A request already reported, kept until {@code expiresAtMs}; an ordinal is 0 for a side that was
     * not in the report.
     */
    record Reported(int clientOrdinal, int serverOrdinal, RequestInfo request, long expiresAtMs) {
        boolean has(Role role) {
            return (role == Role.CLIENT ? clientOrdinal : serverOrdinal) > 0;
        }

        /** The ordinal to compare a view of {@code role} with: its own side's when reported, else the other's. */
        int ordinalFor(Role role) {
            return has(role) ? (role == Role.CLIENT ? clientOrdinal : serverOrdinal)
                    : (role == Role.CLIENT ? serverOrdinal : clientOrdinal);
        }
    }

    private final List<Pending> pending = new ArrayList<>();
    private final List<Reported> reported = new ArrayList<>();

    ViewJoin() {
    }

    /** Restores join state from its stored form. */
    ViewJoin(List<Pending> pending, List<Reported> reported) {
        this.pending.addAll(pending);
        this.reported.addAll(reported);
    }

    /**
     * A completed view: joined with a waiting one when possible, else it waits.
     *
     * @param completedAtMs stream time the view became complete; its join window runs from there
     */
    void offer(ObserverView v, long completedAtMs, Set<String> middleHosts, HttpTransactionConfig config,
            HttpCounters counters, List<Transaction> out) {
        if (middleHosts.contains(v.host())) {
            counters.recordMiddleView();
            return;
        }
        for (Reported r : reported) {
            if (RequestMatch.score(r.request(), r.ordinalFor(v.role()), v.request(), v.ordinal()) == RequestMatch.SURE) {
                if (r.has(v.role())) {
                    counters.recordDuplicateView();
                } else {
                    counters.recordLateView();
                }
                return;
            }
        }
        Pending partner = null;
        int best = RequestMatch.NONE;
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            int score = RequestMatch.score(p.view(), v);
            if (score == RequestMatch.SURE && p.view().role() == v.role()) {
                // another view of a side already waiting: keep the one nearer the endpoint
                if (RequestMatch.nearerEndpoint(v, p.view())) {
                    pending.set(i, new Pending(v, p.deadlineMs()));
                }
                counters.recordDuplicateView();
                return;
            }
            if (score > best && RequestMatch.oppositeEnds(p.view(), v) && !middleHosts.contains(p.view().host())) {
                partner = p;
                best = score;
            }
        }
        if (partner != null) {
            pending.remove(partner);
            ObserverView client = v.role() == Role.CLIENT ? v : partner.view();
            ObserverView server = v.role() == Role.SERVER ? v : partner.view();
            emit(new Transaction(client, server, RequestMatch.joinedBy(client, server), List.copyOf(middleHosts)),
                    completedAtMs + config.joinWindowMs(), config, counters, out);
            return;
        }
        pending.add(new Pending(v, completedAtMs + config.joinWindowMs()));
        if (pending.size() > config.maxOpenRequestsPerConnection()) {
            pending.remove(0);
            counters.recordEvictedViews(1);
        }
    }

    /** Views whose window closed go out one-sided; expired memories of reported requests are forgotten. */
    void expire(long nowMs, Set<String> middleHosts, HttpTransactionConfig config, HttpCounters counters,
            List<Transaction> out) {
        Iterator<Pending> it = pending.iterator();
        List<Pending> due = new ArrayList<>();
        while (it.hasNext()) {
            Pending p = it.next();
            if (p.deadlineMs() <= nowMs) {
                it.remove();
                due.add(p);
            }
        }
        for (Pending p : due) {
            if (middleHosts.contains(p.view().host())) {
                counters.recordMiddleView(); // learned to be a forwarder while it waited
                continue;
            }
            // the other side may still turn up late: remember the request as long as a response could take
            emit(Transaction.oneSided(p.view(), List.copyOf(middleHosts)), p.deadlineMs() + config.responseTimeoutMs(),
                    config, counters, out);
        }
        // last, so that what was just reported is forgotten at once when stream time jumped past it
        reported.removeIf(r -> r.expiresAtMs() <= nowMs);
    }

    private void emit(Transaction t, long rememberUntilMs, HttpTransactionConfig config, HttpCounters counters,
            List<Transaction> out) {
        counters.recordTransaction(t);
        out.add(t);
        reported.add(new Reported(t.client() == null ? 0 : t.client().ordinal(),
                t.server() == null ? 0 : t.server().ordinal(), t.primary().request(), rememberUntilMs));
        if (reported.size() > config.maxOpenRequestsPerConnection()) {
            reported.remove(0); // only weakens late/duplicate detection for the oldest request
        }
    }

    long nextDeadlineMs() {
        long min = Long.MAX_VALUE;
        for (Pending p : pending) {
            min = Math.min(min, p.deadlineMs());
        }
        for (Reported r : reported) {
            min = Math.min(min, r.expiresAtMs());
        }
        return min;
    }

    boolean isEmpty() {
        return pending.isEmpty() && reported.isEmpty();
    }

    int pendingCount() {
        return pending.size();
    }

    List<Pending> pending() {
        return List.copyOf(pending);
    }

    List<Reported> reported() {
        return List.copyOf(reported);
    }
}
