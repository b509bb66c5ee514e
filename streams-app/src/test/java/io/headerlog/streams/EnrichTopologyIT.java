package io.headerlog.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.streams.errors.DeadLetters;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The real `stream` command against the shared broker and registry, on topics of its own. */
class EnrichTopologyIT {
    private static final int RECORDS = 24;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String rawTopic = "headers.raw.it-" + suffix;
    private final String enrichedTopic = "headers.enriched.it-" + suffix;
    private final String applicationId = "headerlog-streams-it-" + suffix;
    private String bootstrap;
    private String registryUrl;
    private SchemaRegistryClient registry;
    private Admin admin;
    private Thread app;

    @BeforeEach
    void createTopics() {
        bootstrap = SharedStack.bootstrapServers();
        registryUrl = SharedStack.registryUrl();
        registry = new RestSchemaRegistryClient(registryUrl);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        Topics.ensureTopics(admin, rawTopic, enrichedTopic, clockTopic(), Topics.deadLetters(rawTopic), rawTopic + ".correlated",
                rawTopic + ".http", statsTopic(), rawTopic + ".flows", rawTopic + ".flow-summary");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (app != null && app.isAlive()) {
            app.interrupt();
            app.join(TimeUnit.SECONDS.toMillis(60));
        }
        try {
            admin.deleteConsumerGroups(List.of(applicationId)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("cleanup: consumer group " + applicationId + ": " + e.getMessage());
        }
        List<String> topics = new ArrayList<>(List.of(rawTopic, enrichedTopic, clockTopic(), Topics.deadLetters(rawTopic),
                rawTopic + ".correlated", rawTopic + ".http", statsTopic(), rawTopic + ".flows", rawTopic + ".flow-summary"));
        // the app's internal topics (repartition, changelogs)
        admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(t -> t.startsWith(applicationId + "-"))
                .forEach(topics::add);
        for (String topic : topics) {
            try {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("cleanup: topic " + topic + ": " + e.getMessage());
            }
        }
        admin.close();
        for (String topic : List.of(rawTopic, enrichedTopic, clockTopic(), rawTopic + ".correlated", rawTopic + ".http",
                statsTopic(), rawTopic + ".flow-summary")) {
            deleteSubject(topic + "-value");
        }
    }

    @Test
    void shouldEnrichRawRecordsThroughTheRealBrokerAndRegistry() throws Exception {
        // Step 1: PacketHeaders on the raw topic, keyed by flow like a collector does, plus one
        // value that is not in the wire format at all.
        Map<String, RecordMetadata> written = new HashMap<>();
        Map<String, PacketHeader> sent = new HashMap<>();
        try (KafkaProducer<String, PacketHeader> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), AvroSerdes.specific(PacketHeader.class, registry, false).serializer());
             KafkaProducer<String, byte[]> rawBytes = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            rawBytes.send(new ProducerRecord<>(rawTopic, "1:malformed", new byte[] {42, 1, 2, 3})).get();
            for (int i = 0; i < RECORDS; i++) {
                String flow = "1:flow-" + (i % 5);
                PacketHeader header = PacketHeaders.tcpSyn("host-" + (i % 2), 40000 + i, 1_772_366_400_000_000_000L + i);
                RecordMetadata meta = producer.send(new ProducerRecord<>(rawTopic, flow, header)).get();
                String id = flow + "/" + header.getCaptureTimeNs();
                written.put(id, meta);
                sent.put(id, header);
            }
        }
        long startedMs = System.currentTimeMillis();

        // Step 2: the real application, as `./headerlog stream` runs it, with its metrics endpoint.
        int metricsPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            metricsPort = free.getLocalPort();
        }
        StringWriter err = new StringWriter();
        AtomicInteger exitCode = new AtomicInteger(-1);
        app = new Thread(() -> {
            CommandLine cl = new CommandLine(new StreamCommand());
            cl.setErr(new PrintWriter(err, true));
            exitCode.set(cl.execute("--bootstrap-servers", bootstrap, "--registry-url", registryUrl,
                    "--application-id", applicationId, "--state-dir", stateDir.toString(),
                    "--input-topic", rawTopic, "--output-topic", enrichedTopic, "--clock-topic", clockTopic(),
                    "--correlated-topic", rawTopic + ".correlated", "--http-topic", rawTopic + ".http",
                    "--flows-topic", rawTopic + ".flows", "--flow-summary-topic", rawTopic + ".flow-summary",
                    "--stats-topic", statsTopic(), "--stats-interval", "1",
                    "--commit-interval-ms", "200", "--status-interval", "1",
                    "--metrics-listen", "127.0.0.1:" + metricsPort));
        }, "stream-command-it");
        app.start();

        // Step 3: the enriched topic, read back through the registry.
        List<ConsumerRecord<String, EnrichedHeader>> out = readEnriched(RECORDS);

        // Step 3b: the Prometheus endpoint counts them (the stats snapshot is at most 1 s old) and
        // shows the input topic's consumer lag
        String metrics = scrapeUntil(metricsPort, "headerlog_streams_records_in_total{", RECORDS);
        assertThat(metrics).contains("# TYPE headerlog_streams_http_requests_total counter")
                .contains("headerlog_streams_consumer_lag_records{topic=\"" + rawTopic + "\"}")
                .doesNotContain("headerlog_streams_consumer_lag_records{topic=\"" + rawTopic.replace('.', '_') + "\"}");
        app.interrupt();
        app.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(app.isAlive()).as("stream command still running after interrupt").isFalse();
        assertThat(exitCode.get()).as("exit code; stderr: %s", err).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(admin.describeConsumerGroups(List.of(applicationId)).all().get(30, TimeUnit.SECONDS)
                .get(applicationId).members()).as("group members after a clean stop").isEmpty();
        assertThat(out).hasSize(RECORDS);
        for (ConsumerRecord<String, EnrichedHeader> r : out) {
            EnrichedHeader e = r.value();
            String id = r.key() + "/" + e.getHeader().getCaptureTimeNs();
            RecordMetadata source = written.get(id);
            assertThat(source).as("output record %s matches an input record by key", id).isNotNull();
            assertThat(e.getHeader()).isEqualTo(sent.get(id));
            assertThat(e.getRawTopic()).isEqualTo(rawTopic);
            assertThat(e.getRawPartition()).isEqualTo(source.partition());
            assertThat(e.getRawOffset()).isEqualTo(source.offset());
            // Same key, same partition count, no repartition: the record stays in its partition.
            assertThat(r.partition()).isEqualTo(source.partition());
            assertThat(e.getProcessedAtMs()).isBetween(startedMs, System.currentTimeMillis());
        }
        assertThat(registry.latestVersion(enrichedTopic + "-value")).hasValueSatisfying(
                v -> assertThat(v.schema()).isEqualTo(EnrichedHeader.getClassSchema()));

        // Step 4: the malformed record is on the dead-letter topic, as it was, with the reason.
        ConsumerRecord<byte[], byte[]> dead = readOne(Topics.deadLetters(rawTopic));
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("1:malformed");
        assertThat(dead.value()).containsExactly(42, 1, 2, 3);
        assertThat(new String(dead.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .contains("Confluent");
        assertThat(new String(dead.headers().lastHeader(DeadLetters.SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(rawTopic);

        // Step 5: the instance's counters on the stats topic (at least the one it published when it stopped)
        ConsumerRecord<byte[], byte[]> stats = readOne(statsTopic());
        assertThat(new String(stats.key(), StandardCharsets.UTF_8)).startsWith(applicationId + "/");
    }

    @Test
    void shouldRefuseATakenMetricsPortBeforeTouchingKafka() throws Exception {
        // Step 1: something else holds the port.
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String neverCreated = enrichedTopic + ".unstarted";

            // Step 2: the command is pointed at it, with an output topic that does not exist yet.
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new StreamCommand());
            cl.setErr(new PrintWriter(err, true));
            int exitCode = cl.execute("--bootstrap-servers", bootstrap, "--registry-url", registryUrl,
                    "--application-id", applicationId, "--state-dir", stateDir.toString(),
                    "--input-topic", rawTopic, "--output-topic", neverCreated, "--clock-topic", clockTopic(),
                    "--metrics-listen", "127.0.0.1:" + taken.getLocalPort());

            // Step 3: one line that names the address and the option, and Kafka untouched: the topic
            // the start would have created is absent, and no Kafka Streams instance was made.
            assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
            assertThat(err.toString().strip()).startsWith("error: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort())
                    .contains("--metrics-listen").doesNotContain("\n");
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(neverCreated);
            assertThat(stateDir.resolve(applicationId)).doesNotExist();
        }
    }

    /** Scrapes /metrics until the sample starting with {@code series} reaches {@code atLeast}; returns the last scrape. */
    private static String scrapeUntil(int port, String series, double atLeast) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + port + "/metrics");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String body = "";
        while (System.nanoTime() < deadline) {
            try {
                body = http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                double v = body.lines().filter(l -> l.startsWith(series))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max().orElse(-1);
                if (v >= atLeast) {
                    return body;
                }
            } catch (java.net.ConnectException notYet) {
                // the endpoint starts right after the app
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no " + series + " >= " + atLeast + " on :" + port + "/metrics within 30 s:\n" + body);
    }

    // not headers.*: one partition (Topics.defaultPartitions), where readOne looks
    private String statsTopic() {
        return "streams.stats.it-" + suffix;
    }

    private String clockTopic() {
        return rawTopic + ".clock";
    }

    private ConsumerRecord<byte[], byte[]> readOne(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    return r;
                }
            }
        }
        throw new AssertionError("nothing on " + topic + " within " + WAIT);
    }

    private List<ConsumerRecord<String, EnrichedHeader>> readEnriched(int expected) {
        List<ConsumerRecord<String, EnrichedHeader>> out = new ArrayList<>();
        try (KafkaConsumer<String, EnrichedHeader> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, applicationId + "-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), AvroSerdes.specific(EnrichedHeader.class, registry, false).deserializer())) {
            consumer.subscribe(List.of(enrichedTopic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline && app.isAlive()) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            // A short extra poll: anything beyond the expected count would be a duplicate or a stray.
            consumer.poll(Duration.ofSeconds(1)).forEach(out::add);
        } finally {
            try {
                admin.deleteConsumerGroups(List.of(applicationId + "-reader")).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("cleanup: reader group: " + e.getMessage());
            }
        }
        return out;
    }

    // The registry client has no delete; the Confluent API does (soft, then permanent).
    private void deleteSubject(String subject) {
        HttpClient http = HttpClient.newHttpClient();
        for (String query : List.of("", "?permanent=true")) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + query)).DELETE()
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                System.err.println("cleanup: subject " + subject + ": " + e.getMessage());
                return;
            }
        }
    }
}
