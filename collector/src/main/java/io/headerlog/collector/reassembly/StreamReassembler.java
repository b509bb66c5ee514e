package io.headerlog.collector.reassembly;

import io.headerlog.collector.decode.TcpFlags;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Collects the bytes of one application message per TCP stream, from the segment where it starts
 * until the caller says it is complete — for header blocks that do not fit in one captured segment.
 *
 * <p>Use: when a packet begins a message that its own bytes do not complete, {@link #start} it; pass
 * every later segment of that stream to {@link #offer} (it returns null for streams not tracked, so
 * the common case costs one hash lookup, and nothing when {@link #isEmpty()}); after each, parse
 * {@link PartialMessage#bytes()} up to {@link PartialMessage#length()}; when the message is complete,
 * {@link #finish} it (or {@link #advance} past it when the next pipelined message follows). When
 * {@link PartialMessage#canGrow()} turns false the message can only be finished as truncated. Call
 * {@link #expire} now and then (every 100 ms or so) to give up on messages whose rest never came.
 *
 * <p>Sequence numbers: positions are {@code (seq - startSeq)} as a signed 32-bit difference, so
 * wrap-around at 2^32 needs no special case. A segment entirely before the message start, or starting
 * at or beyond the message limit, is dropped and counted; a segment straddling either edge keeps its
 * part inside. Segments may arrive in any order: bytes beyond a gap are kept (within the message limit,
 * in at most {@value ByteRanges#MAX_RANGES} pieces) until the gap fills. Retransmissions and overlaps
 * never overwrite: the first copy of a byte wins, later copies are counted as duplicate bytes.
 *
 * <p>Control flags on a tracked stream: RST ends the message at once ({@link PartialMessage.Ending#RST}),
 * since no retransmission will fill its gaps; SYN means the 5-tuple now carries a new connection
 * ({@link PartialMessage.Ending#SYN}) and its data is not mixed in; FIN marks where the stream's bytes
 * end ({@link PartialMessage.Ending#FIN} once the contiguous bytes reach it — a FIN that overtook
 * earlier segments still lets them fill in).
 *
 * <p>Memory: each message's buffer grows by doubling up to {@code maxMessageBytes}; the sum of buffer
 * capacities is kept under {@code maxTotalBytes} and the message count under {@code maxStreams} by
 * evicting the least recently used message (handed to the eviction listener, which must not call back
 * into the reassembler). Not thread-safe: one reader thread drives it; counters may be read from any.
 */
public final class StreamReassembler {

    /** Why a message left the reassembler without the caller finishing it. */
    public enum Reason { TIMEOUT, EVICTED }

    /** A message given up on; its view is detached and stays valid. */
    public record Expired(StreamKey key, PartialMessage message, Reason reason) {}

    private static final int INITIAL_CAPACITY = 2048;

    private final ReassemblyLimits limits;
    private final long idleTimeoutNs;
    private final Consumer<Expired> onEvicted;
    // access order: iteration starts at the least recently used message
    private final LinkedHashMap<StreamKey, PartialMessage> messages = new LinkedHashMap<>(64, 0.75f, true);

    private volatile int active;
    private volatile long bytesHeld;
    private volatile long started;
    private volatile long replaced;
    private volatile long evictions;
    private volatile long timeouts;
    private volatile long snapGaps;
    private volatile long duplicateBytes;
    private volatile long outOfWindowSegments;

    /** Evicted messages are only counted. */
    public StreamReassembler(ReassemblyLimits limits) {
        this(limits, expired -> { });
    }

    /** @param onEvicted receives each message evicted by the limits, e.g. to publish it as truncated */
    public StreamReassembler(ReassemblyLimits limits, Consumer<Expired> onEvicted) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.idleTimeoutNs = limits.idleTimeout().toNanos();
        this.onEvicted = Objects.requireNonNull(onEvicted, "onEvicted");
    }

    public ReassemblyLimits limits() {
        return limits;
    }

    /** Whether no message is being reassembled (so segments need no key lookup at all). */
    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /**
     * Begins a message on {@code key} with the segment that carries its first byte. A message already
     * tracked on the key is dropped (counted as replaced): the caller decided a new one begins.
     *
     * @param seq         TCP sequence number of the message's first byte (for a SYN with data: seq + 1)
     * @param tcpFlags    the segment's flags (TcpFlags bits); FIN and RST count, SYN does not here
     * @param buf         holds the segment's captured payload at {@code off}
     * @param capturedLen payload bytes present in {@code buf}
     * @param wireLen     payload bytes the segment carried on the wire (more than captured when cut)
     * @param monoNs      capture time, CLOCK_MONOTONIC ns
     * @return the message's view
     */
    public PartialMessage start(StreamKey key, long seq, int tcpFlags, ByteBuffer buf, int off,
                                int capturedLen, int wireLen, long monoNs) {
        Objects.requireNonNull(key, "key");
        PartialMessage old = messages.remove(key);
        if (old != null) {
            release(old);
            replaced++;
        }
        while (messages.size() >= limits.maxStreams()) {
            evictEldest(null);
        }
        PartialMessage m = new PartialMessage(key, seq, monoNs, limits.maxMessageBytes());
        messages.put(key, m);
        active = messages.size();
        started++;
        addBytes(m, seq, buf, off, capturedLen, wireLen, monoNs);
        applyFlags(m, seq, tcpFlags & ~TcpFlags.SYN, wireLen);
        return m;
    }

    /**
     * Adds a later segment of a tracked stream.
     *
     * @return the message's view, or null when no message is being reassembled on {@code key}
     */
    public PartialMessage offer(StreamKey key, long seq, int tcpFlags, ByteBuffer buf, int off,
                                int capturedLen, int wireLen, long monoNs) {
        PartialMessage m = messages.get(key);
        if (m == null || m.aborted()) {
            return m;
        }
        if ((tcpFlags & (TcpFlags.SYN | TcpFlags.RST)) == 0) {
            addBytes(m, seq, buf, off, capturedLen, wireLen, monoNs);
        }
        applyFlags(m, seq, tcpFlags, wireLen);
        return m;
    }

    /** Stops tracking {@code key}; its view must not be used afterwards. @return whether it was tracked */
    public boolean finish(StreamKey key) {
        PartialMessage m = messages.remove(key);
        if (m == null) {
            return false;
        }
        release(m);
        return true;
    }

    /**
     * The first {@code consumed} bytes were a complete message; what follows them (already received,
     * in order or not) is the start of the next one on the same stream, beginning at {@code monoNs}.
     *
     * @return the next message's view, or null when nothing of it has arrived (tracking ends)
     */
    public PartialMessage advance(StreamKey key, int consumed, long monoNs) {
        PartialMessage m = messages.get(key);
        if (m == null) {
            return null;
        }
        if (consumed < 0 || consumed > m.length()) {
            throw new IllegalArgumentException("can only consume 0.." + m.length() + " contiguous bytes, got " + consumed);
        }
        if (consumed == 0) {
            return m;
        }
        m.dropPrefix(consumed, monoNs);
        if (!m.holdsBytes() || m.aborted()) {
            finish(key);
            return null;
        }
        return m;
    }

    /**
     * Gives up on messages whose stream added no new byte for longer than the idle timeout.
     *
     * @param nowMonoNs current CLOCK_MONOTONIC time (System.nanoTime() on Linux, or the latest capture time)
     * @return the expired messages (detached views), oldest first; empty when none
     */
    public List<Expired> expire(long nowMonoNs) {
        List<Expired> expired = List.of();
        for (Iterator<PartialMessage> it = messages.values().iterator(); it.hasNext(); ) {
            PartialMessage m = it.next();
            if (nowMonoNs - m.lastMonoNs() > idleTimeoutNs) {
                it.remove();
                release(m);
                timeouts++;
                if (expired.isEmpty()) {
                    expired = new ArrayList<>();
                }
                expired.add(new Expired(m.key(), m, Reason.TIMEOUT));
            }
        }
        active = messages.size();
        return expired;
    }

    public ReassemblyStats stats() {
        return new ReassemblyStats(active, bytesHeld, started, replaced, evictions, timeouts, snapGaps,
                duplicateBytes, outOfWindowSegments);
    }

    private void addBytes(PartialMessage m, long seq, ByteBuffer buf, int off, int capturedLen, int wireLen,
                          long monoNs) {
        // bytes beyond the wire length are not payload (e.g. Ethernet padding); never read past the buffer
        int captured = Math.max(0, Math.min(Math.min(capturedLen, wireLen), buf.limit() - off));
        int wire = Math.max(captured, wireLen);
        if (wire == 0) {
            return;
        }
        long from = (int) (seq - m.startSeq()); // signed distance modulo 2^32
        long capturedEnd = from + captured;
        long wireEnd = from + wire;
        int limit = m.limit();
        if (wireEnd <= 0 || from >= limit) {
            outOfWindowSegments++;
            return;
        }
        int a = (int) Math.max(from, 0);
        int b = (int) Math.min(capturedEnd, limit);
        if (a < b) {
            ByteRanges ranges = m.ranges();
            if (!ranges.canAdd(a, b)) {
                outOfWindowSegments++; // too many pieces out of order; the retransmission may fit later
                return;
            }
            int covered = ranges.coveredIn(a, b);
            duplicateBytes += covered;
            if (covered < b - a) {
                reserve(m, b);
                m.write(a, b, buf, off + (int) (a - from), monoNs);
            }
        }
        if (captured < wire) {
            int holeFrom = (int) Math.max(capturedEnd, 0);
            int holeTo = (int) Math.min(wireEnd, limit);
            int missing = m.ranges().firstMissingFrom(holeFrom);
            if (missing < holeTo && m.markSnapGap(missing)) {
                snapGaps++;
            }
        }
    }

    private void applyFlags(PartialMessage m, long seq, int tcpFlags, int wireLen) {
        if ((tcpFlags & TcpFlags.RST) != 0) {
            m.markReset();
        } else if ((tcpFlags & TcpFlags.SYN) != 0) {
            m.markSyn();
        } else if ((tcpFlags & TcpFlags.FIN) != 0) {
            long from = (int) (seq - m.startSeq());
            m.markFin(from + Math.max(0, wireLen));
        }
    }

    /** Makes room for {@code m} to hold positions below {@code needed}, evicting others if the total demands. */
    private void reserve(PartialMessage m, int needed) {
        int capacity = m.capacity();
        if (needed <= capacity) {
            return;
        }
        // powers of two (capped at the limit): a message growing a segment at a time copies O(log n) times
        long wanted = Math.max(Integer.highestOneBit(needed - 1) * 2L, Math.max(INITIAL_CAPACITY, 2L * capacity));
        int grown = (int) Math.min(m.limit(), wanted);
        long extra = grown - capacity;
        while (bytesHeld + extra > limits.maxTotalBytes() && evictEldest(m)) {
            // evicted one; check again
        }
        m.grow(grown);
        bytesHeld += extra;
    }

    /** Evicts the least recently used message other than {@code keep}. @return whether one was evicted */
    private boolean evictEldest(PartialMessage keep) {
        for (Iterator<Map.Entry<StreamKey, PartialMessage>> it = messages.entrySet().iterator(); it.hasNext(); ) {
            PartialMessage m = it.next().getValue();
            if (m != keep) {
                it.remove();
                release(m);
                evictions++;
                active = messages.size();
                onEvicted.accept(new Expired(m.key(), m, Reason.EVICTED));
                return true;
            }
        }
        return false;
    }

    private void release(PartialMessage m) {
        bytesHeld -= m.capacity();
        active = messages.size();
    }
}
