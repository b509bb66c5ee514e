package io.headerlog.streams.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One observer's requests on one connection, oldest first. HTTP/1.x answers requests on a connection
 * in the order they were sent (keep-alive and pipelining alike), so each response completes the oldest
 * open request: a FIFO is the whole pairing rule.
 *
 * <p>A retransmitted segment that begins a message is decoded again by the collector; counting it
 * would shift every later pair by one, so a message at the same TCP sequence number (and message
 * index) as the observer's previous one in that direction is skipped. Only the latest position is
 * kept: a retransmission of an older pipelined request is not recognised.
 */
final class ObserverQueue {
    private static final long NONE = -1;

    private int requestsSeen;
    private long lastRequestSeq = NONE;
    private int lastRequestIndex;
    private long lastResponseSeq = NONE;
    private int lastResponseIndex;
    private final Deque<OpenRequest> open = new ArrayDeque<>();

    ObserverQueue() {
    }

    /** Restores a queue from its stored form. */
    ObserverQueue(int requestsSeen, long lastRequestSeq, int lastRequestIndex, long lastResponseSeq,
            int lastResponseIndex, List<OpenRequest> open) {
        this.requestsSeen = requestsSeen;
        this.lastRequestSeq = lastRequestSeq;
        this.lastRequestIndex = lastRequestIndex;
        this.lastResponseSeq = lastResponseSeq;
        this.lastResponseIndex = lastResponseIndex;
        this.open.addAll(open);
    }

    /** False when the message repeats the previous request of this observer (a retransmission). */
    boolean acceptRequest(long seq, int index) {
        if (seq != NONE && seq == lastRequestSeq && index <= lastRequestIndex) {
            return false;
        }
        lastRequestSeq = seq;
        lastRequestIndex = index;
        return true;
    }

    /** False when the message repeats the previous response of this observer (a retransmission). */
    boolean acceptResponse(long seq, int index) {
        if (seq != NONE && seq == lastResponseSeq && index <= lastResponseIndex) {
            return false;
        }
        lastResponseSeq = seq;
        lastResponseIndex = index;
        return true;
    }

    /**
     * Opens the next request; returns the oldest open request when the bound forced it out, else null.
     */
    OpenRequest open(RequestInfo request, Stamp stamp, long deadlineMs, int maxOpen) {
        requestsSeen++;
        open.addLast(new OpenRequest(requestsSeen, request, stamp, deadlineMs));
        return open.size() > maxOpen ? open.pollFirst() : null;
    }

    /** The oldest open request, which the next response answers; null when none is open. */
    OpenRequest answer() {
        return open.pollFirst();
    }

    /** Removes and returns the requests whose deadline is at or before {@code nowMs}. */
    List<OpenRequest> expire(long nowMs) {
        List<OpenRequest> expired = new ArrayList<>();
        // deadlines grow along the queue (request time + a constant), except where records of one
        // observer arrive out of order: look at every entry rather than stop at the first live one
        open.removeIf(r -> {
            if (r.deadlineMs() <= nowMs) {
                expired.add(r);
                return true;
            }
            return false;
        });
        return expired;
    }

    long nextDeadlineMs() {
        long min = Long.MAX_VALUE;
        for (OpenRequest r : open) {
            min = Math.min(min, r.deadlineMs());
        }
        return min;
    }

    boolean hasOpen() {
        return !open.isEmpty();
    }

    int requestsSeen() {
        return requestsSeen;
    }

    long lastRequestSeq() {
        return lastRequestSeq;
    }

    int lastRequestIndex() {
        return lastRequestIndex;
    }

    long lastResponseSeq() {
        return lastResponseSeq;
    }

    int lastResponseIndex() {
        return lastResponseIndex;
    }

    List<OpenRequest> openRequests() {
        return List.copyOf(open);
    }
}
