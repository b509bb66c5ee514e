package io.headerlog.streams.http;

/**
 * Which end of the connection an observer stands on: a request seen leaving a host is seen on the
 * client's side, one seen arriving on the server's side.
 */
enum Role {
    CLIENT, SERVER;

    static final String EGRESS = "egress";
    static final String INGRESS = "ingress";

    /** The role of an observer that saw requests in {@code requestDirection}, or null for an unknown direction. */
    static Role ofRequestDirection(String requestDirection) {
        if (EGRESS.equals(requestDirection)) {
            return CLIENT;
        }
        return INGRESS.equals(requestDirection) ? SERVER : null;
    }

    Role other() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
