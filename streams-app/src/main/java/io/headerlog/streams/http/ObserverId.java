package io.headerlog.streams.http;

/**
 * One observer of a connection: one host's collector on one interface, seeing requests in one
 * direction and their responses in the other. Keying by the request's direction (not just host and
 * interface) keeps the two views apart where one interface sees both ends — loopback, where TC sees
 * every packet leave and arrive — and where a forwarding host sees the request arrive on one
 * interface and leave on another.
 */
record ObserverId(String host, String ifName, String requestDirection) {

    /** The observer a request seen in {@code direction} belongs to. */
    static ObserverId ofRequest(String host, String ifName, String direction) {
        return new ObserverId(host, ifName, direction);
    }

    /** The observer a response seen in {@code direction} belongs to: the one that saw requests the other way. */
    static ObserverId ofResponse(String host, String ifName, String direction) {
        return new ObserverId(host, ifName, Role.EGRESS.equals(direction) ? Role.INGRESS : Role.EGRESS);
    }

    Role role() {
        return Role.ofRequestDirection(requestDirection);
    }
}
