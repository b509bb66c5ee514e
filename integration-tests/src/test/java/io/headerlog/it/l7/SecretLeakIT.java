package io.headerlog.it.l7;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.it.l7.Curl.Request;
import io.headerlog.it.l7.Curl.Transfer;
import io.headerlog.json.AvroJson;
import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.serde.ConfluentAvroDeserializer;
import io.headerlog.streams.EnrichApp;
import io.headerlog.streams.StreamsAppConfig;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Secrets never leave the host in clear. curl sends {@code Authorization: Bearer <random>},
 * {@code Proxy-Authorization: Basic <random>} and {@code Cookie: session=<random>}, nginx answers
 * with {@code Set-Cookie: sid=<random>}; a collector on each host publishes to Kafka, the streams
 * app enriches, a third collector prints JSON lines. Then every record of headers.raw,
 * headers.enriched and collector.stats (raw bytes and decoded JSON), every line the collectors and
 * the streams app wrote, and the JSON lines are searched for each secret in clear, hex and Base64:
 * none may hold one. The secret headers are still there, as HMAC tokens that are equal at both
 * observers, so requests stay joinable. The HTTP fields of the Kafka records are also compared
 * with tshark's dissection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretLeakIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String run = HttpTraffic.hex(4);
    private final String hostA = "secret-a-" + run;
    private final String hostB = "secret-b-" + run;
    private final String hostStdout = "secret-b-stdout-" + run;
    private final String bearer = HttpTraffic.alnum(32);
    private final String proxyPassword = HttpTraffic.alnum(24);
    private final String session = HttpTraffic.alnum(32);
    private final String setCookie = HttpTraffic.alnum(32);
    /** Made secret with --secret-header: a name the user adds. */
    private final String apiKey = HttpTraffic.alnum(32);
    /** NOT declared secret: it must be published as sent, which proves the searches can find a value. */
    private final String control = HttpTraffic.alnum(32);
    private SecretForms controlForms;

    private L7Lab lab;
    private LogCapture logs;
    private List<SecretForms> secrets;
    private final List<TopicReader> topics = new ArrayList<>();
    private List<JsonNode> raw;
    private List<JsonNode> stdout;
    private final List<String> collectorLines = new ArrayList<>();
    private List<HttpFrame> oracle;
    private List<Transfer> transfers;

    @BeforeAll
    void sendSecretsThroughThePipeline() throws Exception {
        String basic = Base64.getEncoder().encodeToString(("hl:" + proxyPassword).getBytes(StandardCharsets.US_ASCII));
        controlForms = new SecretForms("undeclared control value", control);
        logs = LogCapture.start();
        lab = L7Lab.create("secret");
        secrets = new ArrayList<>(List.of(new SecretForms("bearer token", bearer),
                new SecretForms("proxy password", proxyPassword), new SecretForms("proxy credentials", basic),
                new SecretForms("session cookie", session), new SecretForms("Set-Cookie value", setCookie),
                new SecretForms("X-Api-Key value", apiKey)));
        secrets.add(new SecretForms("HMAC key", Files.readString(lab.hmacKeyFile(), StandardCharsets.US_ASCII).strip()));
        SchemaRegistryClient registry = new RestSchemaRegistryClient(SharedStack.registryUrl());
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.bootstrapServers()))) {
            Topics.ensureDefaultTopics(admin);
            startGroupAtEnd(admin, "secret-leak-it-" + run);
        }
        for (String topic : List.of(Topics.HEADERS_RAW, Topics.HEADERS_ENRICHED, Topics.COLLECTOR_STATS)) {
            topics.add(new TopicReader(SharedStack.bootstrapServers(), topic));
        }
        lab.startNginx(Optional.of("sid=" + setCookie + "; Path=/; HttpOnly"));
        EnrichApp streams = EnrichApp.start(StreamsAppConfig.defaults(SharedStack.bootstrapServers(), SharedStack.registryUrl())
                .withApplicationId("secret-leak-it-" + run).withStateDir(lab.scratch().subdir("streams-state")), registry);
        try {
            TsharkCapture tshark = lab.startTshark();
            List<String> kafka = List.of("--bootstrap-servers", SharedStack.bootstrapServers(),
                    "--registry-url", SharedStack.registryUrl(), "--stats-interval", "1", "--secret-header", "x-api-key");
            CollectorProcess a = lab.launchCollector(lab.client(), hostA, kafka);
            CollectorProcess b = lab.launchCollector(lab.server(), hostB, kafka);
            CollectorProcess printer = lab.launchCollector(lab.server(), hostStdout,
                    List.of("--sink", "stdout", "--secret-header", "X-API-KEY"));
            for (CollectorProcess c : List.of(a, b, printer)) {
                c.awaitCapturing(L7Lab.STARTUP);
            }

            String url = Curl.url("http", lab.server().ipv4(), NginxServer.HTTP_PORT, "/account");
            List<String> headers = List.of("-H", "Authorization: Bearer " + bearer, "-H", "Proxy-Authorization: Basic " + basic,
                    "-H", "Cookie: session=" + session, "-H", "X-Api-Key: " + apiKey, "-H", "X-Debug-Token: " + control);
            // twice on one connection: equal values must give equal tokens in one collector too
            transfers = Curl.session(lab.client(), List.of(new Request(url, headers), new Request(url + "?again=1", headers)));
            tshark.stop();

            awaitRecords(topics.get(0), registry, new ArrayList<>(), this::bothObserversLoggedBothMessages);
            for (CollectorProcess c : List.of(a, b, printer)) {
                List<String> out = L7Lab.stop(c);
                collectorLines.addAll(c.stderr());
                if (c != printer) {
                    collectorLines.addAll(out);
                }
            }
            stdout = HeaderlogViews.parseLines(printer.stdout());
            // the last counters are published when a collector stops; the streams app catches up
            awaitRecords(topics.get(2), registry, new ArrayList<>(), all -> hasHost(all, hostA) && hasHost(all, hostB));
            awaitRecords(topics.get(1), registry, new ArrayList<>(), all -> all.stream()
                    .filter(e -> isOurs(e.path("header").path("host").asText()) && e.path("header").hasNonNull("http"))
                    .count() >= 8);
            for (TopicReader t : topics) {
                t.readToEnd(WAIT);
            }
            raw = decodeAll(topics.get(0), registry);
            oracle = TsharkViews.http(tshark, List.of(NginxServer.HTTP_PORT));
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    @AfterAll
    void cleanUp() {
        topics.forEach(TopicReader::close);
        if (lab != null) {
            lab.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void shouldPublishNoSecretInAnyRecordOfAnyTopic() throws Exception {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(SharedStack.registryUrl());
        long scanned = 0;
        Map<String, Integer> controlFound = new HashMap<>();
        for (TopicReader t : topics) {
            ConfluentAvroDeserializer<GenericRecord> values = ConfluentAvroDeserializer.generic(registry);
            for (ConsumerRecord<byte[], byte[]> r : t.all()) {
                List<String> found = new ArrayList<>();
                scan(r.key(), found);
                scan(r.value(), found);
                for (Header h : r.headers()) {
                    scan(h.value(), found);
                }
                if (!controlForms.foundIn(r.value() == null ? new byte[0] : r.value()).isEmpty()) {
                    controlFound.merge(t.topic() + " bytes", 1, Integer::sum);
                }
                if (r.value() != null) {
                    byte[] json = AvroJson.toJson(values.deserialize(t.topic(), r.value())).getBytes(StandardCharsets.UTF_8);
                    scan(json, found);
                    if (!controlForms.foundIn(json).isEmpty()) {
                        controlFound.merge(t.topic() + " JSON", 1, Integer::sum);
                    }
                }
                assertThat(found).as(t.topic() + " partition " + r.partition() + " offset " + r.offset()).isEmpty();
                scanned++;
            }
        }
        assertThat(scanned).as("records scanned").isGreaterThan(20);
        // the undeclared header's value is found by the same search: 2 requests x 2 observers, raw and enriched
        assertThat(controlFound).as("records holding the undeclared control value")
                .containsEntry(Topics.HEADERS_RAW + " bytes", 4).containsEntry(Topics.HEADERS_RAW + " JSON", 4);
        // at-least-once: the streams app may write a record twice, never less than once
        assertThat(controlFound.get(Topics.HEADERS_ENRICHED + " bytes")).isGreaterThanOrEqualTo(4);
        assertThat(controlFound.get(Topics.HEADERS_ENRICHED + " JSON")).isGreaterThanOrEqualTo(4);
        assertThat(topics.get(2).all()).as("collector.stats records").isNotEmpty();
    }

    @Test
    void shouldWriteNoSecretToAnyLogLine() {
        List<String> found = new ArrayList<>();
        for (String line : collectorLines) {
            scan(line.getBytes(StandardCharsets.UTF_8), found);
        }
        scan(logs.bytes(), found);
        for (String line : collectorLines) {
            found.addAll(controlForms.foundIn(line));
        }
        found.addAll(controlForms.foundIn(logs.bytes()));
        // no header value at all belongs in a log line, secret or not
        assertThat(found).as("header values in the collectors' and the streams app's output").isEmpty();
        assertThat(collectorLines).as("the collectors logged their start and stop").anyMatch(l -> l.startsWith("headerlog: stopped;"));
        assertThat(logs.text()).as("the streams app's log was captured").contains("streams state");
    }

    @Test
    void shouldPrintNoSecretAsJsonLines() {
        List<String> found = new ArrayList<>();
        for (JsonNode r : stdout) {
            scan(r.toString().getBytes(StandardCharsets.UTF_8), found);
        }
        assertThat(found).isEmpty();
        assertThat(HeaderlogViews.withField(stdout, "http").size()).as("HTTP records on stdout").isEqualTo(4);
        assertThat(stdout.stream().filter(r -> !controlForms.foundIn(r.toString()).isEmpty()).count())
                .as("records on stdout with the undeclared control value").isEqualTo(2);
    }

    @Test
    void shouldReplaceSecretValuesWithTokensThatAreEqualAtEveryObserver() {
        for (String name : List.of("Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key")) {
            List<String> tokens = new ArrayList<>();
            tokens.addAll(headerValues(raw, hostA, "egress", name));
            tokens.addAll(headerValues(raw, hostB, "ingress", name));
            tokens.addAll(headerValues(stdout, hostStdout, "ingress", name));
            assertThat(tokens).as(name + ": two requests seen by three observers").hasSize(6)
                    .allMatch(SecretHeaders::isToken, "an hmac token").containsOnly(tokens.get(0));
        }
        List<String> setCookies = new ArrayList<>(headerValues(raw, hostB, "egress", "Set-Cookie"));
        setCookies.addAll(headerValues(raw, hostA, "ingress", "Set-Cookie"));
        assertThat(setCookies).hasSize(4).allMatch(SecretHeaders::isToken, "an hmac token").containsOnly(setCookies.get(0));
        assertThat(List.of(headerValues(raw, hostA, "egress", "Authorization").get(0),
                headerValues(raw, hostA, "egress", "Cookie").get(0), setCookies.get(0)))
                .as("different secrets, different tokens").doesNotHaveDuplicates();
        assertThat(headerValues(raw, hostB, "ingress", "X-Debug-Token")).containsExactly(control, control);
    }

    @Test
    void shouldPublishToKafkaTheHttpFieldsTsharkDissects() {
        assertThat(transfers).extracting(Transfer::httpCode).containsExactly(200, 200);
        Mismatches m = Compare.http(oracle, HeaderlogViews.http(raw.stream()
                .filter(r -> r.path("host").asText().equals(hostB)).toList()), L7Lab.L7_SNAPLEN,
                SecretHeaders.withAdded("X-Api-Key"));
        m.assertNone();
        assertThat(m.checks()).isGreaterThan(40);
    }

    private boolean bothObserversLoggedBothMessages(List<JsonNode> all) {
        return headerValues(all, hostA, "egress", "Authorization").size() == 2
                && headerValues(all, hostB, "ingress", "Authorization").size() == 2
                && headerValues(all, hostB, "egress", "Set-Cookie").size() == 2
                && headerValues(all, hostA, "ingress", "Set-Cookie").size() == 2;
    }

    /** The values of header {@code name} in the HTTP records of one observer, in record order. */
    private static List<String> headerValues(List<JsonNode> records, String host, String direction, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : HeaderlogViews.withField(records, "http")) {
            if (r.path("host").asText().equals(host) && r.path("direction").asText().equals(direction)) {
                r.path("http").path("headers").forEach(h -> {
                    if (h.path("name").asText().equalsIgnoreCase(name)) {
                        out.add(h.path("value").asText());
                    }
                });
            }
        }
        return out;
    }

    private boolean isOurs(String host) {
        return host.equals(hostA) || host.equals(hostB);
    }

    private static boolean hasHost(List<JsonNode> all, String host) {
        return all.stream().anyMatch(r -> r.path("host").asText().equals(host));
    }

    /** Reads on until {@code done} holds for what was read (decoded to JSON) or the wait is over. */
    private static void awaitRecords(TopicReader reader, SchemaRegistryClient registry, List<JsonNode> into,
                                     Predicate<List<JsonNode>> done) throws InterruptedException {
        ConfluentAvroDeserializer<GenericRecord> values = ConfluentAvroDeserializer.generic(registry);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (ConsumerRecord<byte[], byte[]> r : reader.readToEnd(WAIT)) {
                if (r.value() != null) {
                    into.add(HeaderlogViews.toJson(values.deserialize(reader.topic(), r.value())));
                }
            }
            if (done.test(into)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(reader.topic() + " did not get the expected records within " + WAIT
                        + " (" + into.size() + " read)");
            }
            Thread.sleep(250);
        }
    }

    private static List<JsonNode> decodeAll(TopicReader reader, SchemaRegistryClient registry) {
        ConfluentAvroDeserializer<GenericRecord> values = ConfluentAvroDeserializer.generic(registry);
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : reader.all()) {
            if (r.value() != null) {
                out.add(HeaderlogViews.toJson(values.deserialize(reader.topic(), r.value())));
            }
        }
        return out;
    }

    private void scan(byte[] data, List<String> found) {
        if (data == null) {
            return;
        }
        for (SecretForms s : secrets) {
            found.addAll(s.foundIn(data));
        }
    }

    /**
     * Commits the current end of headers.raw for the streams app's group before it starts, so it
     * enriches what this test sends instead of first working through every earlier test's records.
     */
    private static void startGroupAtEnd(Admin admin, String groupId) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(Topics.HEADERS_RAW)).allTopicNames().get().get(Topics.HEADERS_RAW).partitions()
                .forEach(p -> latest.put(new TopicPartition(Topics.HEADERS_RAW, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> commit.put(tp, new OffsetAndMetadata(info.offset())));
        admin.alterConsumerGroupOffsets(groupId, commit).all().get();
    }
}
