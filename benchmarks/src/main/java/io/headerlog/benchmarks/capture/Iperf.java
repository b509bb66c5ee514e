package io.headerlog.benchmarks.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * iperf3 between the two hosts over one of their veth pairs: one server in B for the whole benchmark,
 * bound to B's address on that pair, clients in A for each run. The figures come from iperf3's own
 * JSON report.
 */
final class Iperf implements AutoCloseable {
    static final int PORT = 5201;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One TCP run: what the receiver got. */
    record TcpRun(double bitsPerSecond, double seconds) {
        double gbitPerSecond() {
            return bitsPerSecond / 1e9;
        }
    }

    /** One UDP run: datagrams the client sent and the server's socket received. */
    record UdpRun(long sent, long received, double seconds) {
        double sentPerSecond() {
            return sent / seconds;
        }

        double receivedPerSecond() {
            return received / seconds;
        }
    }

    private final BenchHosts hosts;
    private final String address;
    private final int port;
    private final Child server;

    private Iperf(BenchHosts hosts, String address, int port, Child server) {
        this.hosts = hosts;
        this.address = address;
        this.port = port;
        this.server = server;
    }

    /** Over the measured veth pair (the one programs are attached to). */
    static Iperf startServer(BenchHosts hosts) {
        return startServer(hosts, BenchHosts.ADDR_B, PORT);
    }

    /** Over the reference veth pair, which nothing watches. */
    static Iperf startReferenceServer(BenchHosts hosts) {
        return startServer(hosts, BenchHosts.ADDR_B_REF, PORT + 1);
    }

    private static Iperf startServer(BenchHosts hosts, String address, int port) {
        // --forceflush: into a pipe iperf3's stdout is block-buffered, and "Server listening" would never come
        Child server = Child.start("iperf3 server " + address, BenchHosts.inNamespace(hosts.nsB(), "iperf3", "-s", "--forceflush",
                "-B", address, "-p", Integer.toString(port)), true);
        try {
            server.awaitLine(l -> l.contains("Server listening"), Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return new Iperf(hosts, address, port, server);
    }

    /** A TCP stream from A to B for {@code seconds}. */
    TcpRun tcp(int seconds) {
        JsonNode end = client(seconds, List.of()).path("end");
        JsonNode received = end.path("sum_received");
        return new TcpRun(received.path("bits_per_second").asDouble(), received.path("seconds").asDouble());
    }

    /**
     * UDP datagrams of {@code payloadBytes} from A to B for {@code seconds} at {@code bitsPerSecond} of
     * payload (0: as fast as iperf3 can send).
     */
    UdpRun udp(int seconds, int payloadBytes, long bitsPerSecond) {
        JsonNode end = client(seconds, List.of("-u", "-l", Integer.toString(payloadBytes), "-b", Long.toString(bitsPerSecond)))
                .path("end");
        JsonNode sent = end.path("sum_sent");
        JsonNode received = end.path("sum_received");
        return new UdpRun(sent.path("packets").asLong(),
                received.path("packets").asLong() - received.path("lost_packets").asLong(), sent.path("seconds").asDouble());
    }

    private JsonNode client(int seconds, List<String> extra) {
        List<String> cmd = new java.util.ArrayList<>(BenchHosts.inNamespace(hosts.nsA(), "iperf3", "-c", address,
                "-p", Integer.toString(port), "-t", Integer.toString(seconds), "-J"));
        cmd.addAll(extra);
        Commands.Result r = Commands.run(Duration.ofSeconds(seconds + 30L), cmd);
        JsonNode report = parse(r.stdout());
        if (!r.ok() || report.hasNonNull("error")) {
            throw new IllegalStateException("iperf3 client failed: " + report.path("error").asText(r.stderr().strip())
                    + "; is the iperf3 server on " + address + " in " + hosts.nsB() + " still running?");
        }
        return report;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json.isBlank() ? "{}" : json);
        } catch (IOException e) {
            throw new IllegalStateException("iperf3 printed no JSON report: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
