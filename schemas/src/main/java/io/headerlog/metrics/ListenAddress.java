package io.headerlog.metrics;

/**
 * Where an HTTP endpoint listens: {@code PORT}, {@code :PORT} (every interface) or {@code HOST:PORT},
 * as node_exporter's {@code --web.listen-address} takes it.
 *
 * @param host an address or name to bind; empty = every interface
 * @param port 0..65535; 0 = any free port (the server says which)
 */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        if (host == null || host.contains(" ")) {
            throw new IllegalArgumentException("listen host must be empty or an address, was '" + host + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen port must be 0..65535, was " + port);
        }
    }

    /** Parses {@code PORT}, {@code :PORT}, {@code HOST:PORT} or {@code [IPv6]:PORT}; {@code option} names the flag in errors. */
    public static ListenAddress parse(String text, String option) {
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? "" : t.substring(0, colon);
        String port = colon < 0 ? t : t.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(option + " takes PORT, :PORT, HOST:PORT or [IPv6]:PORT, got '" + text + "'");
        }
        try {
            return new ListenAddress(host, Integer.parseInt(port));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " takes PORT, :PORT, HOST:PORT or [IPv6]:PORT (port 0..65535), got '"
                    + text + "'", e);
        }
    }

    /** The same host with another port (the one a server bound when asked for port 0). */
    public ListenAddress withPort(int boundPort) {
        return new ListenAddress(host, boundPort);
    }

    /** The endpoint's URL for logs; every interface shows as 0.0.0.0. */
    public String metricsUrl() {
        return "http://" + (host.isEmpty() ? "0.0.0.0:" + port : toString()) + "/metrics";
    }

    @Override
    public String toString() {
        String h = host.isEmpty() ? "" : host.contains(":") ? "[" + host + "]" : host;
        return h + ":" + port;
    }
}
