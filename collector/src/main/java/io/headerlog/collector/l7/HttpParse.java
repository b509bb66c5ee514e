package io.headerlog.collector.l7;

import java.util.List;

/**
 * What {@link HttpParser} found at the start of a byte range.
 *
 * @param kind            see {@link Kind}
 * @param method          request method (one of {@link HttpParser#METHODS}), null for a response
 * @param target          request target (visible ASCII); for a start line cut by the window, the
 *                        part seen; null for a response
 * @param version         "HTTP/1.0" or "HTTP/1.1"; null only when the start line itself did not
 *                        end inside the window (then {@link #startLineComplete()} is false)
 * @param statusCode      100–999 for a response, null for a request
 * @param reason          reason phrase of a response ("" when absent), null for a request
 * @param headers         raw header fields in order, at most {@link HttpParser#MAX_HEADERS}
 * @param headerBytes     bytes from the range's start through the empty line that ends the header
 *                        block; 0 unless {@code kind == COMPLETE}
 * @param bodyOffset      absolute buffer index where the body starts ({@code off + headerBytes}),
 *                        -1 unless COMPLETE
 * @param contentLength   the Content-Length value; null when absent or invalid (not digits, or
 *                        several different values)
 * @param chunked         Transfer-Encoding's final coding is chunked
 * @param transferEncoded a Transfer-Encoding header was present (Content-Length then does not frame
 *                        the body, RFC 9112 6.3)
 * @param truncated       the headers are not the whole block: its end was not inside the window,
 *                        or a malformed line (obs-fold, no colon, control characters, bad name)
 *                        stopped the header list — lines after it are not reported
 * @param headersOmitted  well-formed header lines left out because {@link HttpParser#MAX_HEADERS}
 *                        were already listed
 * @param valuesCut       values cut to {@link HttpParser#MAX_VALUE_CHARS}
 */
public record HttpParse(
        Kind kind,
        String method,
        String target,
        String version,
        Integer statusCode,
        String reason,
        List<RawHeader> headers,
        int headerBytes,
        int bodyOffset,
        Long contentLength,
        boolean chunked,
        boolean transferEncoded,
        boolean truncated,
        int headersOmitted,
        int valuesCut) {

    public enum Kind {
        /** The range does not begin with an HTTP/1.x request or status line. */
        NOT_HTTP,
        /** It begins like HTTP, but the header block does not end inside the range and the range is
         *  shorter than maxHeaderBytes: more bytes of the flow may complete it. */
        INCOMPLETE,
        /** The whole header block, through its empty line, is inside the range. */
        COMPLETE,
        /** The header block does not end within maxHeaderBytes: the headers seen are reported and
         *  {@code truncated} is set. */
        TOO_LONG
    }

    static final HttpParse NOT_HTTP = new HttpParse(Kind.NOT_HTTP, null, null, null, null, null, List.of(),
            0, -1, null, false, false, false, 0, 0);

    public boolean isHttp() {
        return kind != Kind.NOT_HTTP;
    }

    public boolean isRequest() {
        return method != null;
    }

    /** The start line ended inside the window (false only for a start line longer than it). */
    public boolean startLineComplete() {
        return version != null;
    }

    /** First value of the named header, compared case-insensitively; null when absent. */
    public String header(String name) {
        for (RawHeader h : headers) {
            if (h.is(name)) {
                return h.value();
            }
        }
        return null;
    }

    /**
     * Body length by RFC 9112 6.3, as far as one message tells it: 0 for 1xx/204/304 responses and
     * for requests with neither Content-Length nor Transfer-Encoding; Content-Length when it frames
     * the body; -1 when unknown (chunked, another transfer coding, a response read until close, an
     * invalid Content-Length, or the block is not COMPLETE). A response to HEAD also has no body;
     * only the caller knows the request, so it must account for that itself.
     */
    public long bodyLength() {
        if (kind != Kind.COMPLETE) {
            return -1;
        }
        if (statusCode != null && (statusCode / 100 == 1 || statusCode == 204 || statusCode == 304)) {
            return 0;
        }
        if (transferEncoded) {
            return -1;
        }
        if (contentLength != null) {
            return contentLength;
        }
        return isRequest() ? 0 : -1;
    }

    /**
     * Absolute buffer index where a pipelined next message would start ({@link #bodyOffset()} +
     * {@link #bodyLength()}), or -1 when the body length is unknown.
     */
    public long nextMessageOffset() {
        long body = bodyLength();
        return body < 0 ? -1 : bodyOffset + body;
    }

    /** Leaves out the target, the reason and every value: they may carry secrets. */
    @Override
    public String toString() {
        return "HttpParse[" + kind + (method != null ? " " + method : "") + (statusCode != null ? " " + statusCode : "")
                + ", " + headers.size() + " headers, headerBytes=" + headerBytes + ", truncated=" + truncated + "]";
    }
}
