package io.headerlog.tools.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.StreamsStats;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The `view` command following real topics on the shared broker, decoding through the registry. */
class ViewCommandIT {
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String enrichedTopic = "headers.enriched.view-it-" + suffix;
    private final String statsTopic = "collector.stats.view-it-" + suffix;
    private final String clockTopic = "clock.offsets.view-it-" + suffix;
    private final String streamsStatsTopic = "streams.stats.view-it-" + suffix;
    private String bootstrap;
    private String registryUrl;
    private Admin admin;
    private Thread viewThread;
    private ViewCommand view;

    @BeforeEach
    void connect() {
        bootstrap = SharedStack.bootstrapServers();
        registryUrl = SharedStack.registryUrl();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (viewThread != null && viewThread.isAlive()) {
            view.stop();
            viewThread.join(TimeUnit.SECONDS.toMillis(30));
        }
        // The view creates its topics when missing, so they exist even if the test failed early.
        admin.deleteTopics(List.of(enrichedTopic, statsTopic, clockTopic, streamsStatsTopic)).all().get(30, TimeUnit.SECONDS);
        admin.close();
        HttpClient http = HttpClient.newHttpClient();
        for (String subject : List.of(enrichedTopic + "-value", statsTopic + "-value", clockTopic + "-value",
                streamsStatsTopic + "-value")) {
            for (String query : List.of("", "?permanent=true")) {
                http.send(HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + query)).DELETE()
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    @Test
    void shouldShowRecordsProducedAfterItStartedInAPlainSnapshot() throws Exception {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(registryUrl);
        // A record from before the view started must not be counted: the view follows from the end.
        try (Admin a = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(a, enrichedTopic, statsTopic, clockTopic, streamsStatsTopic);
        }
        produceHeaders(registry, List.of(header("host-old", null, System.currentTimeMillis())));
        // An estimate from before the view started must be shown: clock.offsets is read from a backlog.
        long before = System.currentTimeMillis();
        produceClock(registry, ViewRecords.clock("host-it", "host-ref", 37_450_000, 1_204_000, 2, before - 1000));
        // ... and so is the streams app's snapshot before: the one after it gives rates at once
        produceStreamsStats(registry, ViewRecords.streamsStats("app-it", "h:1", (before - 2000) * 1_000_000L, 1_000, 100, 10));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger exitCode = new AtomicInteger(-1);
        view = new ViewCommand();
        viewThread = new Thread(() -> {
            CommandLine cl = new CommandLine(view);
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            exitCode.set(cl.execute("--bootstrap-servers", bootstrap, "--registry-url", registryUrl,
                    "--enriched-topic", enrichedTopic, "--stats-topic", statsTopic, "--clock-topic", clockTopic,
                    "--streams-stats-topic", streamsStatsTopic, "--refresh-ms", "300"));
        }, "view-command-it");
        viewThread.start();
        awaitTrue(() -> err.toString().contains("view: following"), () -> "view positioned at the end; stderr: " + err);

        long now = System.currentTimeMillis();
        produceHeaders(registry, List.of(
                header("host-it", null, now),
                header("host-it", null, now),
                header("host-it", "/it-check?n=1", now),
                // A second request pipelined in the same packet: shown, but not a packet of its own.
                header("host-it", "/it-check?n=2", now, 1),
                ViewRecords.enriched(ViewRecords.packet("host-it", "egress", (now - 5) * 1_000_000L)
                        .setIp(ViewRecords.ipv4(17)).setUdp(ViewRecords.udp(41000, 53))
                        .setDns(ViewRecords.dnsQuery(4242, "www.demo.hl", "A").build()).build(), now),
                ViewRecords.enriched(ViewRecords.packet("host-it", "egress", (now - 5) * 1_000_000L)
                        .setIp(ViewRecords.ipv4(6)).setTcp(ViewRecords.tcp(42000, 443, "PSH,ACK"))
                        .setTls(ViewRecords.clientHello("svc.demo.hl", List.of("h2", "http/1.1"),
                                List.of(0x0304, 0x0303)).build()).build(), now)));
        try (KafkaProducer<String, CollectorStats> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                AvroSerdes.specific(CollectorStats.class, registry, false).serializer())) {
            producer.send(new ProducerRecord<>(statsTopic, "host-it", ViewRecords.stats("host-it",
                    now * 1_000_000L, 42, 3))).get();
        }
        produceClock(registry, ViewRecords.clock("host-it", "host-ref", 37_012_345, 85_312, 9, now));
        produceStreamsStats(registry, ViewRecords.streamsStats("app-it", "h:1", (before + 2000) * 1_000_000L, 1_800, 300, 30));

        awaitTrue(() -> {
            String snapshot = lastSnapshot(out.toString());
            return snapshot.contains("records 5 ") && snapshot.contains("tls-client 1") && snapshot.contains("  host-it  ")
                    && snapshot.contains(" 42 ") && snapshot.contains("(error narrowing)") && snapshot.contains("300  single-host");
        }, () -> "a snapshot with the 5 packet records, their messages, the stats and both clock estimates; stdout:\n" + out
                + "\nstderr:\n" + err);
        view.stop();
        viewThread.join(TimeUnit.SECONDS.toMillis(30));

        String snapshot = lastSnapshot(out.toString());
        assertThat(exitCode.get()).isZero();
        assertThat(out.toString()).doesNotContain("\033").doesNotContain("host-old");
        assertThat(snapshot).contains("undecodable 0");
        assertThat(snapshot).containsPattern("\n  host-it +egress .* +5 +5\n");
        assertThat(snapshot).containsPattern("\n  IPv4 +4 +1 +0 +0 +0\n");
        assertThat(snapshot).contains("\nMESSAGES http-req 2  http-resp 0  dns-query 1  dns-resp 0  tls-client 1  "
                + "tls-server 0\nAPPLICATION MESSAGES (latest seen, in arrival order)\n");
        assertThat(snapshot).contains("198.18.0.1:40000 -> 198.18.0.2:80  GET /it-check?n=1 HTTP/1.1\n");
        assertThat(snapshot).contains("198.18.0.1:40000 -> 198.18.0.2:80  GET /it-check?n=2 HTTP/1.1\n");
        assertThat(snapshot).contains("198.18.0.1:41000 -> 198.18.0.2:53  DNS query www.demo.hl A (id 4242)\n");
        assertThat(snapshot).contains("198.18.0.1:42000 -> 198.18.0.2:443  TLS ClientHello sni=svc.demo.hl "
                + "alpn=h2,http/1.1 versions=1.3,1.2\n");
        assertThat(snapshot).containsPattern("\n  host-it +1000 +4 +6 +1/10 +42 +3 +1 +980 ");
        assertThat(snapshot).containsPattern("\n  host-it +host-ref +\\+37\\.012 +\\+-85\\.3us +\\+0\\.000 +9 +0 ");
        assertThat(snapshot).contains("history: +37.450 +-1.20ms > +37.012 +-85.3us  (error narrowing)\n");
        assertThat(snapshot).containsPattern("\n  app-it/h:1 +RUNNING +in 200\\.0 rec/s  dead-letters 3 ");
        assertThat(snapshot).contains("\n    correlation      50.0 pkt/s  match  99.0%  correlated 300 ");
    }

    private static EnrichedHeader header(String host, String httpTarget, long processedAtMs) {
        return header(host, httpTarget, processedAtMs, 0);
    }

    private static EnrichedHeader header(String host, String httpTarget, long processedAtMs, int appMessageIndex) {
        PacketHeader.Builder b = ViewRecords.packet(host, "egress", (processedAtMs - 5) * 1_000_000L)
                .setIp(ViewRecords.ipv4(6)).setTcp(ViewRecords.tcp(40000, 80, "PSH,ACK"))
                .setAppMessageIndex(appMessageIndex);
        if (httpTarget != null) {
            b.setHttp(ViewRecords.request("GET", httpTarget));
        }
        return ViewRecords.enriched(b.build(), processedAtMs);
    }

    private void produceHeaders(SchemaRegistryClient registry, List<EnrichedHeader> headers) throws Exception {
        try (KafkaProducer<String, EnrichedHeader> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                AvroSerdes.specific(EnrichedHeader.class, registry, false).serializer())) {
            for (EnrichedHeader h : headers) {
                producer.send(new ProducerRecord<>(enrichedTopic, "1:flow", h)).get();
            }
        }
    }

    private void produceClock(SchemaRegistryClient registry, ClockOffset estimate) throws Exception {
        try (KafkaProducer<String, ClockOffset> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                AvroSerdes.specific(ClockOffset.class, registry, false).serializer())) {
            producer.send(new ProducerRecord<>(clockTopic, estimate.getHost(), estimate)).get();
        }
    }

    private void produceStreamsStats(SchemaRegistryClient registry, StreamsStats stats) throws Exception {
        try (KafkaProducer<String, StreamsStats> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                AvroSerdes.specific(StreamsStats.class, registry, false).serializer())) {
            producer.send(new ProducerRecord<>(streamsStatsTopic, stats.getApplicationId() + "/" + stats.getInstanceId(),
                    stats)).get();
        }
    }

    /** The text after the last-but-one separator: the newest complete snapshot. */
    private static String lastSnapshot(String out) {
        String[] snapshots = out.split("(?m)^--$");
        return snapshots.length < 2 ? "" : snapshots[snapshots.length - 2];
    }

    private static void awaitTrue(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            Thread.sleep(100);
        }
    }
}
