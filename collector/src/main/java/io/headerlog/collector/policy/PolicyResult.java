package io.headerlog.collector.policy;

import io.headerlog.schema.HttpHeader;
import java.util.List;

/**
 * An HTTP message's headers after the policy: what may leave the host. Secret values appear only as
 * tokens or the redaction marker; a field whose header the policy removed is null.
 *
 * @param headers        published headers in their original order, names as sent
 * @param headersDropped headers left out: by the allow/deny list, the secret action DROP, the count
 *                       limit, or a name too long to be one
 * @param valuesCut      published values cut to the length limit
 * @param host           Host
 * @param userAgent      User-Agent
 * @param contentType    Content-Type
 * @param contentLength  Content-Length when it is a plain decimal number (and not a secret)
 * @param requestId      X-Request-ID
 * @param traceparent    traceparent, raw (for a W3C Trace Context parser)
 */
public record PolicyResult(List<HttpHeader> headers, int headersDropped, int valuesCut, String host,
                           String userAgent, String contentType, Long contentLength, String requestId,
                           String traceparent) {

    public PolicyResult {
        headers = List.copyOf(headers);
    }

    /** Names and counts only: even published values stay out of log lines. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PolicyResult[headers=");
        for (int i = 0; i < headers.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(headers.get(i).getName());
        }
        return sb.append(" dropped=").append(headersDropped).append(" cut=").append(valuesCut)
                .append(" contentLength=").append(contentLength).append(']').toString();
    }
}
