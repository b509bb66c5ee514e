package io.headerlog.streams.http;

import java.util.Objects;

/**
 * Whether two views (or a view and a reported request) are of the same request.
 *
 * <p>Both sides of one TCP connection see the same bytes, so the n-th request the client sent is the
 * n-th the server received: connection and order identify a request, as long as neither observer
 * missed one. Equal method and target (and X-Request-ID when both have one) guard against an observer
 * that did miss one. A traceparent identifies the call whatever the counts say, so when both views
 * carry one it decides; equal order then only breaks ties between calls that reuse a traceparent.
 */
final class RequestMatch {
    /** Not the same request. */
    static final int NONE = 0;
    /** Same traceparent, different order: the same call if nothing better turns up. */
    static final int TRACE_ONLY = 1;
    /** Same request beyond reasonable doubt. */
    static final int SURE = 2;

    private RequestMatch() {
    }

    static int score(RequestInfo a, int ordinalA, RequestInfo b, int ordinalB) {
        if (a.trace() != null && b.trace() != null) {
            if (!a.trace().sameCall(b.trace())) {
                return NONE;
            }
            return ordinalA == ordinalB ? SURE : TRACE_ONLY;
        }
        // one side's header block may have been cut before its traceparent: fall back to the order
        if (ordinalA != ordinalB || !Objects.equals(a.method(), b.method()) || !Objects.equals(a.target(), b.target())) {
            return NONE;
        }
        if (a.requestId() != null && b.requestId() != null && !a.requestId().equals(b.requestId())) {
            return NONE;
        }
        return SURE;
    }

    static int score(ObserverView a, ObserverView b) {
        return score(a.request(), a.ordinal(), b.request(), b.ordinal());
    }

    static Transaction.JoinedBy joinedBy(ObserverView a, ObserverView b) {
        return a.request().trace() != null && b.request().trace() != null ? Transaction.JoinedBy.TRACEPARENT
                : Transaction.JoinedBy.CONNECTION_ORDER;
    }

    /**
     * Two views can be the two ends of a request: opposite roles, and different hosts — or one host on
     * one interface (loopback: client and server on the same host).
     */
    static boolean oppositeEnds(ObserverView a, ObserverView b) {
        return a.role() != b.role()
                && (!a.host().equals(b.host()) || a.observer().ifName().equals(b.observer().ifName()));
    }

    /**
     * Of two same-role views of one request, the one nearer the endpoint: the client's own stack
     * sends first and hears the answer last (the longest latency), the server's receives last and
     * answers first (the shortest). Stacked devices and a forwarder captured on one interface only
     * give such extra views. An answered view beats an unanswered one.
     */
    static boolean nearerEndpoint(ObserverView candidate, ObserverView current) {
        if (candidate.answered() != current.answered()) {
            return candidate.answered();
        }
        if (!candidate.answered()) {
            return false;
        }
        long c = candidate.latencyNs();
        long k = current.latencyNs();
        return candidate.role() == Role.CLIENT ? c > k : c < k;
    }
}
