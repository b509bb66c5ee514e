package io.headerlog.collector.reassembly;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what the reassembler holds. Only streams with an incomplete message are tracked, so the
 * bounds are about messages in flight, not connections.
 *
 * @param maxMessageBytes bytes of one message kept from its start; later bytes are dropped and the
 *                        message ends at {@link PartialMessage.Ending#LIMIT}
 * @param maxStreams      messages in flight at once; starting one more evicts the least recently used
 * @param maxTotalBytes   buffer bytes held by all messages together (allocated capacity, which is what
 *                        the heap pays); growing past it evicts least recently used messages. At
 *                        least maxMessageBytes, so one message always fits
 * @param idleTimeout     a message whose stream added no new byte for this long is given up by
 *                        {@link StreamReassembler#expire(long)}
 */
public record ReassemblyLimits(int maxMessageBytes, int maxStreams, long maxTotalBytes, Duration idleTimeout) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_STREAMS = 4096;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 32L << 20;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(2);

    static final int MIN_MESSAGE_BYTES = 64;
    /** A sanity cap, far below 2^31 where signed sequence-number comparisons would become ambiguous. */
    static final int MAX_MESSAGE_BYTES = 1 << 24;
    static final int MAX_STREAMS = 1 << 20;
    static final Duration MAX_IDLE_TIMEOUT = Duration.ofMinutes(10);

    public ReassemblyLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("reassembly message limit must be " + MIN_MESSAGE_BYTES + ".."
                    + MAX_MESSAGE_BYTES + " bytes, got " + maxMessageBytes);
        }
        if (maxStreams < 1 || maxStreams > MAX_STREAMS) {
            throw new IllegalArgumentException("reassembly stream limit must be 1.." + MAX_STREAMS + ", got " + maxStreams);
        }
        if (maxTotalBytes < maxMessageBytes) {
            throw new IllegalArgumentException("reassembly total-bytes limit (" + maxTotalBytes
                    + ") must be at least the message limit (" + maxMessageBytes + ") so one message fits");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.compareTo(MAX_IDLE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("reassembly idle timeout must be more than 0 and at most "
                    + MAX_IDLE_TIMEOUT.toMinutes() + " min, got " + idleTimeout);
        }
    }

    /** 16 KiB per message, 4096 messages, 32 MiB in total, 2 s idle timeout. */
    public static ReassemblyLimits defaults() {
        return new ReassemblyLimits(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_STREAMS, DEFAULT_MAX_TOTAL_BYTES,
                DEFAULT_IDLE_TIMEOUT);
    }
}
