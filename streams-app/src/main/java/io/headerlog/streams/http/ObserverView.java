package io.headerlog.streams.http;

/**
 * One observer's view of one request: when it saw the request and — unless unanswered — the first
 * byte of the response, both on its own host's clocks.
 *
 * @param responseStamp null when no response came within the response timeout
 * @param statusCode    null when unanswered
 */
record ObserverView(ObserverId observer, int ordinal, RequestInfo request, Stamp requestStamp, Stamp responseStamp,
        Integer statusCode, String reason) {

    static ObserverView unanswered(ObserverId observer, OpenRequest r) {
        return new ObserverView(observer, r.ordinal(), r.request(), r.stamp(), null, null, null);
    }

    static ObserverView answered(ObserverId observer, OpenRequest r, Stamp response, int statusCode, String reason) {
        return new ObserverView(observer, r.ordinal(), r.request(), r.stamp(), response, statusCode, reason);
    }

    Role role() {
        return observer.role();
    }

    String host() {
        return observer.host();
    }

    boolean answered() {
        return responseStamp != null;
    }

    /** Response first byte − request first byte on the host's monotonic clock; null when unanswered. */
    Long latencyNs() {
        return answered() ? responseStamp.monoNs() - requestStamp.monoNs() : null;
    }
}
