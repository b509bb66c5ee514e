package io.headerlog.collector.reassembly;

/**
 * Counters of a {@link StreamReassembler}; all but the first two are cumulative.
 *
 * @param activeStreams       messages being reassembled now
 * @param bytesHeld           buffer capacity they hold now
 * @param started             messages started
 * @param replaced            messages dropped because a new one was started on the same stream
 * @param evictions           messages evicted by the stream or total-bytes limit (least recently used)
 * @param timeouts            messages given up after the idle timeout
 * @param snapGaps            messages that got a hole the kernel's snap length cut (never fills)
 * @param duplicateBytes      bytes that arrived again (retransmissions, overlaps); the first copy was kept
 * @param outOfWindowSegments segments dropped: before the message start, at or beyond the message limit,
 *                            or too fragmented to track
 */
public record ReassemblyStats(int activeStreams, long bytesHeld, long started, long replaced, long evictions,
                              long timeouts, long snapGaps, long duplicateBytes, long outOfWindowSegments) {}
