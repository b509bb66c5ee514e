/**
 * The flows.summary branch: per flow, direction and observation point, in tumbling windows, the
 * packets and bytes the sampled header records stand for next to the kernel's exact counters from
 * flows.raw (entry point {@link io.headerlog.streams.flows.FlowWindowTopology#addTo}).
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>One task sees both sides of a flow.</b> The collectors key headers.raw and flows.raw by
 *   Community ID; with equal partition counts ({@code CoPartitioning}, checked at start) the two
 *   inputs are merged into one processor without a repartition.</li>
 *   <li><b>The unit is the kernel's flow key</b> ({@code FlowPoint}): host, interface, ingress/egress
 *   and the addresses, protocol and ports in packet order — what one flows.raw record counts.</li>
 *   <li><b>Estimates count like the kernel</b> ({@code WireCount}): a GSO super-packet is gsoSegs wire
 *   packets, and its bytes include a copy of the headers per further segment; each record weighs its
 *   combinedSampleRate (1 for records kept regardless of sampling), and the standard error of the
 *   estimate goes with it ({@code WindowTally}).</li>
 *   <li><b>Windows on the host's own clock.</b> Header capture times and the kernel's flow times are
 *   both on the observing host's wall clock, so estimate and exact count are compared without a
 *   clock model.</li>
 *   <li><b>A flows.raw record goes whole to the window of its lastSeenNs.</b> The collector reports a
 *   flow when it goes idle or at the active timeout, so only that window needs to be open when it
 *   arrives; the grace (default 30 s) covers the collectors' default idle export delay (~20 s).
 *   Splitting a record pro rata over the windows it spans would keep windows open for a whole active
 *   timeout and turn exact counts into interpolations.</li>
 *   <li><b>Each window is emitted once</b>, when the task's event time (the newest record time, or
 *   after {@code idleAdvance} without records the wall clock's extrapolation of it) passes its end +
 *   grace. Late records are counted, their exact packets and bytes too, and not emitted.</li>
 *   <li><b>Bounded state.</b> At most {@code maxOpenWindows} open windows per task; beyond it the window
 *   due soonest is emitted early (closedBy = evicted), counted.</li>
 * </ul>
 */
package io.headerlog.streams.flows;
