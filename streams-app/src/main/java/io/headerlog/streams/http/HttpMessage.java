package io.headerlog.streams.http;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.Http;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.TraceContext;
import java.util.Optional;

/**
 * The parts of an enriched HTTP record that pairing needs.
 *
 * @param tcpSeq          sequence number of the packet the message began in, or -1 without TCP; with
 *                        appMessageIndex it tells a retransmitted message from the next one
 * @param appMessageIndex which message of its packet this is (pipelining: several per packet)
 */
record HttpMessage(boolean request, ObserverId observer, Stamp stamp, RequestInfo requestInfo, Integer statusCode,
        String reason, long tcpSeq, int appMessageIndex) {

    /** The record's message, or empty when it carries none or neither a request nor a response line. */
    static Optional<HttpMessage> of(EnrichedHeader e) {
        PacketHeader h = e.getHeader();
        Http http = h.getHttp();
        if (http == null || Role.ofRequestDirection(h.getDirection()) == null) {
            return Optional.empty();
        }
        long seq = h.getTcp() != null ? h.getTcp().getSeq() : -1;
        Stamp stamp = firstByte(e);
        if (http.getMethod() != null) {
            RequestInfo info = new RequestInfo(http.getMethod(), http.getTarget(), http.getHost(), http.getRequestId(),
                    trace(http.getTraceparent()));
            return Optional.of(new HttpMessage(true, ObserverId.ofRequest(h.getHost(), h.getIfName(), h.getDirection()),
                    stamp, info, null, null, seq, h.getAppMessageIndex()));
        }
        if (http.getStatusCode() != null) {
            return Optional.of(new HttpMessage(false,
                    ObserverId.ofResponse(h.getHost(), h.getIfName(), h.getDirection()), stamp, null,
                    http.getStatusCode(), http.getReason(), seq, h.getAppMessageIndex()));
        }
        return Optional.empty();
    }

    /**
     * 1xx responses other than 101 are interim (100 Continue, 103 Early Hints): the final response
     * that follows answers the request. 101 Switching Protocols is final for HTTP/1.x.
     */
    boolean interim() {
        return statusCode != null && statusCode >= 100 && statusCode < 200 && statusCode != 101;
    }

    /**
     * When the message's first byte was captured. The collector puts a message on the record of the
     * packet where it began; should it ever report a different start (http.startMonoTimeNs), every
     * clock of the stamp is moved back by the same amount.
     */
    static Stamp firstByte(EnrichedHeader e) {
        PacketHeader h = e.getHeader();
        Long start = h.getHttp().getStartMonoTimeNs();
        long shift = start != null && start <= h.getMonoTimeNs() ? h.getMonoTimeNs() - start : 0;
        Long aligned = e.getAlignedTimeNs() == null ? null : e.getAlignedTimeNs() - shift;
        return new Stamp(h.getMonoTimeNs() - shift, h.getCaptureTimeNs() - shift, aligned, e.getClockErrorNs(),
                e.getClockReference());
    }

    private static Trace trace(TraceContext t) {
        return t == null ? null : new Trace(t.getVersion(), t.getTraceId(), t.getParentId(), t.getFlags());
    }
}
