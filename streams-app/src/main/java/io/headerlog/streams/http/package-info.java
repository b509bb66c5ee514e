/**
 * The http.transactions branch: HTTP/1.x requests and responses of the enriched stream paired into
 * {@code HttpTransaction} records (entry point {@link io.headerlog.streams.http.HttpTransactionTopology#addTo}).
 *
 * <h2>Two steps, one connection at a time</h2>
 * Every host's records of a flow carry its Community ID as key and share a partition, so one task
 * sees the whole connection; its state lives in the store {@code http-connections} keyed by Community
 * ID, and nothing is repartitioned.
 * <ol>
 *   <li><b>Pairing, per observer</b> ({@code ConnectionPairing}, {@code ObserverQueue}). An observer is
 *   one host's collector on one interface seeing requests in one direction (and responses in the
 *   other). Responses on a connection answer requests in order (keep-alive and pipelining alike), so
 *   each observer's final response completes its oldest open request. Latency = response first byte
 *   − request first byte on the host's monotonic clock: no clock alignment, immune to NTP steps.
 *   Interim 1xx responses (not 101) are skipped; retransmitted message starts (same TCP sequence and
 *   message index as the observer's previous one) are skipped, as they would shift later pairs. A
 *   request without response within {@code responseTimeout} becomes an unanswered view (status null).</li>
 *   <li><b>Join, client with server</b> ({@code ViewJoin}, {@code RequestMatch}). An observer that saw
 *   the request leave (egress) is on the client side, one that saw it arrive (ingress) on the server
 *   side. Two views are the same request when their traceparents are equal (both must carry one) or
 *   else when they are the same n-th request of the connection with equal method and target (and
 *   X-Request-ID when both have one). A pair goes out as soon as it is found; a view whose other side
 *   has not come within {@code joinWindow} goes out one-sided. Client latency − server latency is the
 *   network time; with both hosts aligned, one-way delays come from the aligned times.</li>
 * </ol>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Forwarders are ignored, and named.</b> A host that sees a connection's requests arrive on
 *   one interface and leave on another (a router, a host forwarding for its containers) would pass
 *   for a client on one side and a server on the other. Its views are never used; the host is listed
 *   in {@code middleObservers}. One host seeing both directions on one interface is loopback (client
 *   and server on that host) and is joined normally. A forwarder captured on one interface only
 *   cannot be told from an endpoint: of several views of one side, the one nearest the endpoint wins
 *   (client: longest latency; server: shortest) while they wait, but a pair already emitted stays.</li>
 *   <li><b>A request is reported at most once.</b> Reported requests are remembered (join window
 *   after a join, response timeout after a one-sided report): a later view of one is dropped and
 *   counted as late (the other side came after the window) or duplicate (a side already reported).</li>
 *   <li><b>Stream time only.</b> Deadlines use record timestamps; windows run from when a view became
 *   complete, so jumps in stream time do not change results. Records further behind stream time
 *   than the response timeout are counted late and skipped.</li>
 *   <li><b>Bounded state.</b> Per connection each list (open requests per observer, waiting views,
 *   remembered reports) holds at most {@code maxOpenRequestsPerConnection}, oldest evicted; per task
 *   at most {@code maxConnectionsPerTask} connections, the one expiring soonest evicted; all counted.
 *   A connection's entry is deleted once nothing is in flight, which also restarts every observer's
 *   request count together (and heals one that missed a request).</li>
 *   <li><b>Nothing secret.</b> Only method, target, Host, status, reason, X-Request-ID and traceparent
 *   are carried, as the collector's header policy published them; no other header.</li>
 * </ul>
 */
package io.headerlog.streams.http;
