package io.headerlog.streams.http;

/** A W3C traceparent as the collector parsed it. */
record Trace(int version, String traceId, String parentId, int flags) {

    /** Same trace and same calling span: the same outgoing call, whichever side saw it. */
    boolean sameCall(Trace other) {
        return other != null && traceId.equals(other.traceId) && parentId.equals(other.parentId);
    }
}
