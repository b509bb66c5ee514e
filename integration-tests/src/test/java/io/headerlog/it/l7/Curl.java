package io.headerlog.it.l7;

import io.headerlog.testing.ExecResult;
import io.headerlog.testing.Host;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * curl in a test host. One {@link #session} is one curl invocation: its requests (joined with
 * {@code --next}) share curl's connection cache, so requests to one server reuse one keep-alive
 * connection. Each transfer reports its status, local port (which names the TCP connection in both
 * headerlog's records and tshark's) and whether it opened a new connection.
 */
final class Curl {
    private static final String WRITE_OUT = "%{http_code} %{local_port} %{num_connects} %{http_version}\\n";

    private Curl() {
    }

    /** One request: the URL and its own curl options (headers, body, TLS settings, ...). */
    record Request(String url, List<String> options) {
        Request {
            options = List.copyOf(options);
        }

        static Request get(String url, String... options) {
            return new Request(url, List.of(options));
        }
    }

    /** What curl reported for one transfer. */
    record Transfer(Request request, int httpCode, int localPort, int newConnections, String httpVersion) {
    }

    static List<Transfer> session(Host client, List<Request> requests) {
        List<String> cmd = new ArrayList<>(List.of("curl"));
        for (int i = 0; i < requests.size(); i++) {
            if (i > 0) {
                cmd.add("--next");
            }
            Request r = requests.get(i);
            cmd.addAll(List.of("--silent", "--show-error", "--max-time", "15", "--noproxy", "*",
                    "--output", "/dev/null", "--write-out", WRITE_OUT));
            cmd.addAll(r.options());
            cmd.add(r.url());
        }
        ExecResult result = client.exec(Duration.ofSeconds(60), cmd.toArray(String[]::new)).orThrow();
        String[] lines = result.stdout().strip().split("\n");
        if (lines.length != requests.size()) {
            throw new AssertionError("curl reported " + lines.length + " transfers for " + requests.size()
                    + " requests: " + result.stdout());
        }
        List<Transfer> transfers = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].trim().split(" ");
            transfers.add(new Transfer(requests.get(i), Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                    Integer.parseInt(f[2]), f[3]));
        }
        return transfers;
    }

    static String url(String scheme, InetAddress address, int port, String path) {
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return scheme + "://" + host + ":" + port + path;
    }
}
