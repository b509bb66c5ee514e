package io.headerlog.streams.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the branch keeps for one connection (one Community ID): every observer's open requests
 * and the views waiting to be joined. Records of one flow from every host share a partition, so one
 * task holds the whole connection and nothing is repartitioned.
 *
 * <p>Pure: no Kafka types, driven by stream time passed in, so it is tested directly.
 */
final class ConnectionState {
    private final ConnectionPairing pairing;
    private final ViewJoin join;

    ConnectionState() {
        this(new ConnectionPairing(), new ViewJoin());
    }

    ConnectionState(ConnectionPairing pairing, ViewJoin join) {
        this.pairing = pairing;
        this.join = join;
    }

    /**
     * Applies one HTTP message.
     *
     * @param recordTimeMs the record's timestamp: a request's response timeout runs from it
     * @param nowMs        stream time; the join window of a view completed now runs from it
     * @return transactions ready to go out (joined, or one-sided whose window closed by now)
     */
    List<Transaction> apply(HttpMessage m, long recordTimeMs, long nowMs, HttpTransactionConfig config,
            HttpCounters counters) {
        List<Transaction> out = new ArrayList<>();
        // close what is due first, so the outcome does not depend on when the punctuator last ran
        expire(nowMs, config, counters, out);
        if (isEmpty()) {
            // what the punctuator would have deleted by now: start over, as it would
            pairing.forget();
        }
        if (m.request()) {
            pairing.request(m, recordTimeMs + config.responseTimeoutMs(), config.maxOpenRequestsPerConnection(),
                    counters);
        } else {
            ObserverView view = pairing.response(m, counters);
            if (view != null) {
                join.offer(view, nowMs, pairing.middleHosts(), config, counters, out);
            }
        }
        return out;
    }

    /** Advances to stream time {@code nowMs}: unanswered requests and closed join windows. */
    List<Transaction> expire(long nowMs, HttpTransactionConfig config, HttpCounters counters) {
        List<Transaction> out = new ArrayList<>();
        expire(nowMs, config, counters, out);
        return out;
    }

    private void expire(long nowMs, HttpTransactionConfig config, HttpCounters counters, List<Transaction> out) {
        List<ConnectionPairing.Unanswered> unanswered = pairing.expire(nowMs, counters);
        var middle = pairing.middleHosts();
        for (ConnectionPairing.Unanswered u : unanswered) {
            // windows run from when the view became complete, not from when the punctuator looked:
            // a jump in stream time must not change what is joined or reported
            join.offer(u.view(), u.atMs(), middle, config, counters, out);
        }
        join.expire(nowMs, middle, config, counters, out);
    }

    /** The earliest stream time at which {@link #expire} has something to do; Long.MAX_VALUE when never. */
    long nextDeadlineMs() {
        return Math.min(pairing.nextDeadlineMs(), join.nextDeadlineMs());
    }

    /**
     * Nothing in flight and nothing remembered: the state can be deleted. Deleting it also restarts
     * every observer's request count together, which is harmless (they restart alike) and heals an
     * observer that missed a request.
     */
    boolean isEmpty() {
        return !pairing.hasOpenRequests() && join.isEmpty();
    }

    /** Views waiting for the other side; dropped when the connection is evicted. */
    int pendingViews() {
        return join.pendingCount();
    }

    /** Requests still waiting for a response, over all observers; dropped when the connection is evicted. */
    int openRequests() {
        return pairing.openRequests();
    }

    ConnectionPairing pairing() {
        return pairing;
    }

    ViewJoin join() {
        return join;
    }
}
