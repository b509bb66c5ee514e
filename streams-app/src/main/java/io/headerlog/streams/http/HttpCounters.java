package io.headerlog.streams.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of the http.transactions branch of one running instance. Stream threads write, a status
 * line reads; plain atomics suffice because each number is read on its own.
 */
public final class HttpCounters {
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong responses = new AtomicLong();
    private final AtomicLong interimResponses = new AtomicLong();
    private final AtomicLong retransmissions = new AtomicLong();
    private final AtomicLong unusable = new AtomicLong();
    private final AtomicLong orphanResponses = new AtomicLong();
    private final AtomicLong answeredViews = new AtomicLong();
    private final AtomicLong unansweredViews = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong joined = new AtomicLong();
    private final AtomicLong joinedByTraceparent = new AtomicLong();
    private final AtomicLong clientOnly = new AtomicLong();
    private final AtomicLong serverOnly = new AtomicLong();
    private final AtomicLong lateRecords = new AtomicLong();
    private final AtomicLong lateViews = new AtomicLong();
    private final AtomicLong duplicateViews = new AtomicLong();
    private final AtomicLong middleViews = new AtomicLong();
    private final AtomicLong evictedRequests = new AtomicLong();
    private final AtomicLong evictedViews = new AtomicLong();
    private final AtomicLong evictedConnections = new AtomicLong();

    void recordRequest() {
        requests.incrementAndGet();
    }

    void recordResponse() {
        responses.incrementAndGet();
    }

    void recordInterimResponse() {
        interimResponses.incrementAndGet();
    }

    void recordRetransmission() {
        retransmissions.incrementAndGet();
    }

    void recordUnusable() {
        unusable.incrementAndGet();
    }

    void recordOrphanResponse() {
        orphanResponses.incrementAndGet();
    }

    void recordView(boolean answered) {
        (answered ? answeredViews : unansweredViews).incrementAndGet();
    }

    void recordTransaction(Transaction t) {
        transactions.incrementAndGet();
        switch (t.kind()) {
            case JOINED -> {
                joined.incrementAndGet();
                if (t.joinedBy() == Transaction.JoinedBy.TRACEPARENT) {
                    joinedByTraceparent.incrementAndGet();
                }
            }
            case CLIENT_ONLY -> clientOnly.incrementAndGet();
            case SERVER_ONLY -> serverOnly.incrementAndGet();
        }
    }

    void recordLateRecord() {
        lateRecords.incrementAndGet();
    }

    void recordLateView() {
        lateViews.incrementAndGet();
    }

    void recordDuplicateView() {
        duplicateViews.incrementAndGet();
    }

    void recordMiddleView() {
        middleViews.incrementAndGet();
    }

    void recordEvictedRequest() {
        evictedRequests.incrementAndGet();
    }

    void recordEvictedRequests(int n) {
        evictedRequests.addAndGet(n);
    }

    void recordEvictedViews(int n) {
        evictedViews.addAndGet(n);
    }

    void recordEvictedConnection() {
        evictedConnections.incrementAndGet();
    }

    /** HTTP request messages read (retransmissions not included). */
    public long requests() {
        return requests.get();
    }

    /** Final HTTP responses read (interim 1xx and retransmissions not included). */
    public long responses() {
        return responses.get();
    }

    /** 1xx responses other than 101, skipped: the final response answers the request. */
    public long interimResponses() {
        return interimResponses.get();
    }

    /** Messages seen again by the same observer at the same TCP sequence number (retransmitted), skipped. */
    public long retransmissions() {
        return retransmissions.get();
    }

    /** HTTP records that are neither a request nor a response (start line cut), or have no known direction. */
    public long unusable() {
        return unusable.get();
    }

    /** Responses with no open request at their observer (request not captured, or already reported unanswered). */
    public long orphanResponses() {
        return orphanResponses.get();
    }

    /** Request/response pairs completed by one observer. */
    public long answeredViews() {
        return answeredViews.get();
    }

    /** Requests an observer saw without a response within the response timeout. */
    public long unansweredViews() {
        return unansweredViews.get();
    }

    /** HttpTransaction records emitted. */
    public long transactions() {
        return transactions.get();
    }

    /** Transactions with both the client's and the server's view. */
    public long joined() {
        return joined.get();
    }

    /** Joined transactions matched by traceparent (the rest by connection and order). */
    public long joinedByTraceparent() {
        return joinedByTraceparent.get();
    }

    public long clientOnly() {
        return clientOnly.get();
    }

    public long serverOnly() {
        return serverOnly.get();
    }

    /** joined ÷ transactions; 0 before the first transaction. */
    public double matchRate() {
        long all = transactions.get();
        return all == 0 ? 0.0 : (double) joined.get() / all;
    }

    /** HTTP records older than stream time − response timeout, skipped. */
    public long lateRecords() {
        return lateRecords.get();
    }

    /** Views whose request had already gone out one-sided (the join window missed them), dropped. */
    public long lateViews() {
        return lateViews.get();
    }

    /** Further views of an already reported side (stacked interfaces, a forwarder captured on one interface), dropped. */
    public long duplicateViews() {
        return duplicateViews.get();
    }

    /** Views of hosts that forward the connection (request seen arriving and leaving), not used. */
    public long middleViews() {
        return middleViews.get();
    }

    /** Open requests evicted by the per-connection limit. */
    public long evictedRequests() {
        return evictedRequests.get();
    }

    /** Views waiting to be joined that were dropped by a limit (per connection or per task). */
    public long evictedViews() {
        return evictedViews.get();
    }

    /** Connections whose state was dropped by the per-task limit. */
    public long evictedConnections() {
        return evictedConnections.get();
    }

    @Override
    public String toString() {
        return "http requests=" + requests() + " responses=" + responses() + " transactions=" + transactions()
                + " joined=" + joined() + " (traceparent=" + joinedByTraceparent() + ") client-only=" + clientOnly()
                + " server-only=" + serverOnly() + String.format(" match-rate=%.3f", matchRate())
                + " unanswered=" + unansweredViews() + " orphan-responses=" + orphanResponses()
                + " late-records=" + lateRecords() + " late-views=" + lateViews() + " duplicate-views="
                + duplicateViews() + " middle-views=" + middleViews() + " evicted requests/views/connections="
                + evictedRequests() + "/" + evictedViews() + "/" + evictedConnections();
    }
}
