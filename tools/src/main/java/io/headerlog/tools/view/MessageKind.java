package io.headerlog.tools.view;

/** The application-layer messages the view shows and counts, with the label of their counter. */
public enum MessageKind {
    HTTP_REQUEST("http-req"),
    HTTP_RESPONSE("http-resp"),
    DNS_QUERY("dns-query"),
    DNS_RESPONSE("dns-resp"),
    TLS_CLIENT_HELLO("tls-client"),
    TLS_SERVER_HELLO("tls-server");

    private final String label;

    MessageKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
