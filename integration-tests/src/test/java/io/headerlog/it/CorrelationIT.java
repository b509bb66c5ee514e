package io.headerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.CorrelatedPacket;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.HttpTransaction;
import io.headerlog.schema.PacketHop;
import io.headerlog.schema.StreamsStats;
import io.headerlog.streams.EnrichApp;
import io.headerlog.streams.StreamFunctions;
import io.headerlog.streams.StreamsAppConfig;
import io.headerlog.streams.align.ClockOffsets;
import io.headerlog.streams.clock.HostClock;
import io.headerlog.testing.Host;
import io.headerlog.testing.TestHosts;
import io.headerlog.tools.stack.SharedStack;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cross-host correlation for real, across three namespace hosts — client, router (forwarding), server
 * — each with its own collector: every packet of an HTTP exchange is found at every point it crossed,
 * with hop delays on aligned streams.clocks, and the client's and the server's views of each request join;
 * the app's counters on streams.stats say the same.
 */
class CorrelationIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int HTTP_PORT = 8089;
    private static final int REQUESTS = 3;

    private StreamsRun streams;
    private String client;
    private String router;
    private String server;

    @BeforeEach
    void createTopics() throws Exception {
        streams = new StreamsRun("cor-it");
        client = "cor-a-" + streams.run;
        router = "cor-b-" + streams.run;
        server = "cor-c-" + streams.run;
    }

    @AfterEach
    void deleteTopics() {
        streams.close();
    }

    @Test
    void shouldCorrelateEveryPacketOfAnHttpExchangeAtEveryHopAndJoinBothEnds() throws Exception {
        StreamsAppConfig config = streams.config(StreamFunctions.DEFAULTS.withClockReference(Optional.of(client)));
        try (TestHosts hosts = TestHosts.chain(3); EnrichApp app = EnrichApp.start(config, streams.registry)) {
            Host a = hosts.host(0);
            Host b = hosts.host(1);
            Host c = hosts.host(2);
            try (CollectorProcess ca = collector(a, client, a.endpoint().name());
                 CollectorProcess cb = collector(b, router, b.endpoints().get(0).name(), b.endpoints().get(1).name());
                 CollectorProcess cc = collector(c, server, c.endpoint().name());
                 ServerSocket listener = c.call(() -> new ServerSocket(HTTP_PORT, 50, c.ipv4()))) {
                ca.awaitCapturing(WAIT);
                cb.awaitCapturing(WAIT);
                cc.awaitCapturing(WAIT);
                Thread serving = serveHttp(listener);

                // Step 1: handshakes through the router until every host's clock is modelled and used
                awaitClocks(a, c, app);

                // Step 2: one keep-alive connection with a few requests, client → router → server
                int clientPort = httpExchange(a, c);
                serving.interrupt();

                // Step 3: every packet of that connection, streams.correlated along its path
                List<CorrelatedPacket> packets = await(streams.correlated, CorrelatedPacket.class,
                        p -> p.getSrcPort() != null && (p.getSrcPort() == clientPort || p.getDstPort() == clientPort),
                        all -> all.stream().filter(p -> p.getObservations().size() == 4).count() >= 2L * REQUESTS + 3);
                int checked = 0;
                for (CorrelatedPacket p : packets) {
                    if (p.getObservations().size() != 4) {
                        continue; // not every packet crossed all four capture points within the window
                    }
                    assertThat(p.getHostCount()).isEqualTo(3);
                    assertThat(p.getObservations().get(0).getHost()).as("path order").isIn(client, server);
                    assertThat(p.getObservations().get(1).getHost()).isEqualTo(router);
                    assertThat(p.getObservations().get(2).getHost()).isEqualTo(router);
                    assertThat(p.getAligned()).as(() -> unalignedReport(p, app)).isTrue();
                    long sum = 0;
                    for (PacketHop hop : p.getHops()) {
                        assertThat(hop.getDelayNs() + hop.getErrorNs()).as("hop %s of %s", hop, p).isGreaterThanOrEqualTo(0L);
                        sum += hop.getDelayNs();
                    }
                    assertThat(Math.abs(sum - p.getEndToEndDelayNs())).isLessThanOrEqualTo(p.getEndToEndErrorNs());
                    checked++;
                }
                System.out.printf("streams.correlated %d packets of the connection at all four capture points%n", checked);
                assertThat(checked).isGreaterThanOrEqualTo(2 * REQUESTS + 3);

                // Step 4: each request's client and server views, joined
                List<HttpTransaction> transactions = await(streams.http, HttpTransaction.class,
                        t -> t.getClient() != null && t.getTarget() != null && t.getTarget().startsWith("/cor-it-" + streams.run),
                        all -> all.stream().filter(t -> "joined".equals(t.getKind())).count() >= REQUESTS);
                for (HttpTransaction t : transactions) {
                    assertThat(t.getKind()).isEqualTo("joined");
                    assertThat(t.getStatusCode()).isEqualTo(200);
                    assertThat(t.getClient().getHost()).isEqualTo(client);
                    assertThat(t.getServer().getHost()).isEqualTo(server);
                    // named when its records arrived before the join was emitted (its collector publishes on its own)
                    assertThat(t.getMiddleObservers()).isSubsetOf(router);
                    assertThat(t.getClientLatencyNs()).as("client latency ≥ server time: %s", t)
                            .isGreaterThanOrEqualTo(t.getServerTimeNs());
                    assertThat(t.getNetworkTimeNs()).isEqualTo(t.getClientLatencyNs() - t.getServerTimeNs());
                }

                // Step 5: the instance's counters, published from outside the topology, count the same work
                long correlatedAtAllFour = checked;
                StreamsStats stats = await(streams.stats, StreamsStats.class,
                        s -> s.getApplicationId().equals(streams.appId),
                        all -> !all.isEmpty()
                                && all.get(all.size() - 1).getCorrelation().getPacketsCorrelated() >= correlatedAtAllFour
                                && all.get(all.size() - 1).getHttp().getJoined() >= REQUESTS).stream()
                        .reduce((first, second) -> second).orElseThrow();
                System.out.printf("streams.stats: %s%n", stats);
                assertThat(stats.getState()).isEqualTo("RUNNING");
                assertThat(stats.getRecords().getRecordsIn()).isGreaterThanOrEqualTo(stats.getRecords().getRecordsOut())
                        .isPositive();
                assertThat(stats.getCorrelation().getMatchRate()).isPositive();
                assertThat(stats.getHttp().getMatchRate()).isPositive();
                assertThat(stats.getClock().getSamples()).isPositive();
            }
        }
    }

    private CollectorProcess collector(Host h, String hostId, String... interfaces) throws Exception {
        List<String> args = new ArrayList<>(List.of("--netns", h.netns(), "--host-id", hostId,
                "--bootstrap-servers", SharedStack.bootstrapServers(), "--registry-url", SharedStack.registryUrl(),
                "--topic", streams.raw, "--secret-action", "redact"));
        for (String i : interfaces) {
            args.addAll(List.of("-i", i));
        }
        return CollectorProcess.start(List.of(), args);
    }

    /**
     * A client socket that lives in the host's namespace. It must be bound there: Java creates the
     * socket only at bind or connect, and a connect outside the namespace would leave the test hosts.
     */
    private static Socket socketIn(Host h) throws Exception {
        return h.call(() -> {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(h.ipv4(), 0));
            return s;
        });
    }

    /** A minimal HTTP/1.1 server: answers every request on a connection with 200 and a short body. */
    private static Thread serveHttp(ServerSocket listener) {
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.isEmpty()) {
                            Thread.sleep(2); // some server time
                            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                } catch (Exception e) {
                    return;
                }
            }
        }, "correlation-it-server");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Handshakes until the app's align step has aligned records of all three hosts: their clocks are
     * in the app's clock-offsets store, and the step that reads it has used them. Seeing the clocks on
     * clock.offsets is not enough (the app's global store thread reads that topic on its own
     * schedule), and the store alone leaves the step that reads it unobserved.
     */
    private void awaitClocks(Host a, Host c, EnrichApp app) throws Exception {
        Map<String, ClockOffset> latest = Map.of();
        Set<String> aligned = new TreeSet<>();
        List<String> hosts = List.of(client, router, server);
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<String, EnrichedHeader> enriched = consumer(EnrichedHeader.class)) {
            enriched.subscribe(List.of(streams.enriched));
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < 5; i++) {
                    try (Socket s = socketIn(a)) {
                        s.connect(new InetSocketAddress(c.ipv4(), HTTP_PORT), 5_000);
                    }
                }
                latest = app.clockOffsets();
                enriched.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (r.value().getAlignedTimeNs() != null) {
                        aligned.add(r.value().getHeader().getHost());
                    }
                });
                if (latest.keySet().containsAll(hosts) && aligned.containsAll(hosts)) {
                    latest.values().forEach(o -> System.out.printf("clock %s: %.3f ms ± %.1f µs via %s%n", o.getHost(),
                            o.getOffsetNs() / 1e6, o.getErrorBoundNs() / 1e3, o.getPath()));
                    return;
                }
            }
        }
        throw new AssertionError("the app did not model and align all three hosts within " + WAIT + ": clocks of "
                + latest.keySet() + ", records aligned of " + aligned + "; records on " + streams.raw + ": "
                + records(streams.raw) + "; streams app " + app.state() + ": " + app.counters());
    }

    /**
     * Why a packet is not aligned, as far as the app can tell now: each unaligned sighting's host,
     * its clock in the app's store and that clock's bound at the capture time (absent: the store lost
     * it; present and usable: the record was aligned while the store did not have it).
     */
    private String unalignedReport(CorrelatedPacket p, EnrichApp app) {
        Map<String, ClockOffset> clocks = app.clockOffsets();
        StringBuilder out = new StringBuilder(p.toString()).append("\nunaligned sightings, against the app's clocks now:");
        p.getObservations().stream().filter(o -> o.getAlignedTimeNs() == null).forEach(o -> {
            ClockOffset c = clocks.get(o.getHost());
            out.append("\n  ").append(o.getHost()).append(" at ").append(o.getCaptureTimeNs()).append(": ");
            if (c == null) {
                out.append("no clock in the store");
            } else {
                HostClock clock = ClockOffsets.fromRecord(c);
                out.append("bound there ").append(clock.errorBoundAt(o.getCaptureTimeNs())).append(" ns; ").append(c);
            }
            out.append("\n  its estimates on ").append(streams.clocks).append(':');
            clockHistory(o.getHost()).forEach(h -> out.append("\n    ").append(h));
        });
        return out.append("\napp counters: ").append(app.counters()).toString();
    }

    /** Every estimate of {@code host} on the run's clock topic, oldest first. */
    private List<String> clockHistory(String host) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, ClockOffset> consumer = consumer(ClockOffset.class)) {
            consumer.subscribe(List.of(streams.clocks));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (host.equals(r.key())) {
                        ClockOffset c = r.value();
                        out.add(String.format("computed %d: valid from %d, offset %d ± %d ns, drift bound %.1f ppm, %d samples, path %s",
                                c.getComputedAtMs(), c.getValidFromNs(), c.getOffsetNs(), c.getErrorBoundNs(),
                                c.getDriftBoundPpm(), c.getSamples(), c.getPath()));
                    }
                });
            }
        }
        return out;
    }

    private long records(String topic) {
        try {
            var partitions = streams.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().stream().map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
                    .collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()));
            return streams.admin().listOffsets(partitions).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** {@link #REQUESTS} GET requests on one keep-alive connection; the client port. */
    private int httpExchange(Host a, Host c) throws Exception {
        try (Socket s = socketIn(a)) {
            s.connect(new InetSocketAddress(c.ipv4(), HTTP_PORT), 5_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            for (int i = 0; i < REQUESTS; i++) {
                String request = "GET /cor-it-" + streams.run + "/" + i + " HTTP/1.1\r\nHost: server\r\n\r\n";
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                while (!in.readLine().isEmpty()) {
                    // headers
                }
                char[] body = new char[2];
                assertThat(in.read(body)).isEqualTo(2);
                Thread.sleep(50);
            }
            return s.getLocalPort();
        }
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<T> await(String topic, Class<T> type, Predicate<T> ours,
            Predicate<List<T>> done) {
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = consumer(type)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (ours.test(r.value())) {
                        out.add(r.value());
                    }
                });
                if (done.test(out)) {
                    return out;
                }
            }
        }
        throw new AssertionError(topic + " did not hold the expected records within " + WAIT + "; got " + out);
    }

    private <T extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, T> consumer(Class<T> type) {
        return streams.consumer(type);
    }
}
