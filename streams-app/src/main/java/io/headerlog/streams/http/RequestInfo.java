package io.headerlog.streams.http;

/**
 * What a transaction tells about its request: the start line, Host, X-Request-ID and traceparent,
 * as the collector's header policy published them. No other header is kept, so nothing the policy
 * turned into a token or a marker (Authorization, Cookie, …) is carried further.
 */
record RequestInfo(String method, String target, String host, String requestId, Trace trace) {
}
