package io.headerlog.collector.decode;

import io.headerlog.collector.l7.HttpParse;
import io.headerlog.collector.l7.TraceParent;
import io.headerlog.collector.policy.HeaderPolicy;
import io.headerlog.collector.policy.PolicyResult;
import io.headerlog.schema.Http;

/**
 * A parsed HTTP header block → the published {@link Http} record, through the header policy. This is
 * the only place raw header values meet the record, so no value leaves the host unless the policy
 * let it.
 */
public final class HttpMessages {
    private final HeaderPolicy policy;

    public HttpMessages(HeaderPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param parse     a COMPLETE, TOO_LONG or (when the stream ended early) INCOMPLETE-as-TOO_LONG parse
     * @param segments  TCP segments the block came from
     * @param truncated the stream ended (gap, timeout, reset, limit) before the block did
     * @param seenBytes bytes of the block seen, when it is not complete
     */
    public Http toRecord(HttpParse parse, int segments, boolean truncated, int seenBytes) {
        PolicyResult p = policy.apply(parse.headers());
        boolean complete = parse.kind() == HttpParse.Kind.COMPLETE;
        return Http.newBuilder()
                .setMethod(parse.method())
                .setTarget(parse.target())
                // a start line cut before its version still tells method and target
                .setVersion(parse.version() != null ? parse.version() : "")
                .setStatusCode(parse.statusCode())
                .setReason(parse.reason())
                .setHeaders(p.headers())
                .setHost(p.host())
                .setUserAgent(p.userAgent())
                .setContentType(p.contentType())
                .setContentLength(p.contentLength())
                .setRequestId(p.requestId())
                .setTraceparent(p.traceparent() == null ? null : TraceParent.parse(p.traceparent()))
                .setHeaderBytes(complete ? parse.headerBytes() : seenBytes)
                .setSegments(segments)
                .setTruncated(truncated || parse.truncated() || !complete)
                .setHeadersDropped(p.headersDropped() + parse.headersOmitted())
                .setStartMonoTimeNs(null)
                .build();
    }
}
