package io.headerlog.streams.http;

import java.util.List;

/**
 * A request as it is reported: the client's view, the server's view, or both joined.
 *
 * @param client      null for a server-only transaction
 * @param server      null for a client-only transaction
 * @param joinedBy    null unless both views are present
 * @param middleHosts hosts seen forwarding the connection (their views were not used), sorted
 */
record Transaction(ObserverView client, ObserverView server, JoinedBy joinedBy, List<String> middleHosts) {

    enum Kind {
        JOINED("joined"), CLIENT_ONLY("client-only"), SERVER_ONLY("server-only");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    enum JoinedBy {
        TRACEPARENT("traceparent"), CONNECTION_ORDER("connection-order");

        final String label;

        JoinedBy(String label) {
            this.label = label;
        }
    }

    Transaction {
        if (client == null && server == null) {
            throw new IllegalArgumentException("a transaction needs at least one view");
        }
        middleHosts = List.copyOf(middleHosts);
    }

    static Transaction oneSided(ObserverView view, List<String> middleHosts) {
        return view.role() == Role.CLIENT ? new Transaction(view, null, null, middleHosts)
                : new Transaction(null, view, null, middleHosts);
    }

    Kind kind() {
        if (client != null && server != null) {
            return Kind.JOINED;
        }
        return client != null ? Kind.CLIENT_ONLY : Kind.SERVER_ONLY;
    }

    /** The view that speaks for the request: the client's when there is one. */
    ObserverView primary() {
        return client != null ? client : server;
    }
}
