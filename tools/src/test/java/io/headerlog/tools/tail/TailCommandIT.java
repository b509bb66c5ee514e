package io.headerlog.tools.tail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.schema.Http;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.tools.ToolsCommand;
import io.headerlog.tools.stack.FreePorts;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `tail` against the real broker and registry: records written with the serde come out as JSON. */
class TailCommandIT {

    private final ObjectMapper json = new ObjectMapper();
    private final String topic = "tail-it-" + UUID.randomUUID();
    private final Serializer<PacketHeader> serializer = AvroSerdes.specific(PacketHeader.class,
            new RestSchemaRegistryClient(SharedStack.registryUrl()), false).serializer();

    private record Result(int code, List<String> lines, String err) {
    }

    @BeforeEach
    void createTopicWithThreeRecordsAndOneForeign() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers()))) {
            Topics.ensureTopics(admin, Map.of(topic, 3), Duration.ofSeconds(30));
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < 3; i++) {
                send(producer, header(i));
            }
            // a record some other program wrote: tail skips it with a note instead of stopping
            producer.send(new ProducerRecord<>(topic, 0, "foreign", "{\"plain\":\"json\"}".getBytes())).get();
        }
    }

    @Test
    void shouldPrintRecordsFromTheBeginningAsJsonLines() throws Exception {
        Result result = tail("--from-beginning", "--max", "3", "--timeout", "60");

        assertThat(result.code()).isZero();
        assertThat(result.lines()).hasSize(3);
        List<JsonNode> records = new ArrayList<>();
        for (String line : result.lines()) {
            records.add(json.readTree(line));
        }
        assertThat(records).extracting(r -> r.get("ifIndex").asInt()).containsExactlyInAnyOrder(0, 1, 2);
        JsonNode first = records.stream().filter(r -> r.get("ifIndex").asInt() == 1).findFirst().orElseThrow();
        assertThat(first.get("host").asText()).isEqualTo("host-1");
        assertThat(first.get("captureTimeNs").asLong()).isEqualTo(1_750_000_000_000_000_001L);
        assertThat(first.get("http").get("target").asText()).isEqualTo("/items?id=1&q=\"x\"");
        assertThat(first.get("http").get("statusCode").isNull()).isTrue();
        assertThat(first.get("tcp").isNull()).isTrue();
        assertThat(result.err()).contains("tail: 3 records from " + topic);
    }

    @Test
    void shouldStopWhenIdleAndSkipRecordsThatAreNotConfluentAvro() {
        Result result = tail("--from-beginning", "--timeout", "3");

        assertThat(result.code()).isZero();
        assertThat(result.lines()).hasSize(3);
        assertThat(result.err()).contains("skipping the record at partition 0").contains("magic byte")
                .contains("tail: 3 records");
    }

    @Test
    void shouldWrapRecordsWithTheirMetadata() throws Exception {
        Result result = tail("--from-beginning", "--max", "3", "--with-metadata", "--timeout", "60");

        JsonNode record = json.readTree(result.lines().get(0));
        assertThat(record.get("topic").asText()).isEqualTo(topic);
        assertThat(record.get("key").asText()).startsWith("1:flow");
        assertThat(record.get("offset").isIntegralNumber()).isTrue();
        assertThat(record.get("value").get("direction").asText()).isEqualTo("ingress");
    }

    @Test
    void shouldFollowOnlyNewRecordsWithoutFromBeginning() throws Exception {
        CompletableFuture<Result> tailing = CompletableFuture.supplyAsync(() -> tail("--max", "1", "--timeout", "60"));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // tail starts at the end once it is assigned; keep writing new records until it has printed one
            for (int i = 100; i < 200 && !tailing.isDone(); i++) {
                send(producer, header(i));
                Thread.sleep(300);
            }
        }
        Result result = tailing.get(60, TimeUnit.SECONDS);

        assertThat(result.lines()).hasSize(1);
        assertThat(json.readTree(result.lines().get(0)).get("ifIndex").asInt()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void shouldNameExistingTopicsWhenTheTopicDoesNotExist() {
        Result result = run("tail", "no-such-" + topic, "--bootstrap-servers", SharedStack.bootstrapServers(),
                "--registry-url", SharedStack.registryUrl());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("error: Topic 'no-such-" + topic + "' does not exist at "
                + SharedStack.bootstrapServers()).contains(topic);
    }

    @Test
    void shouldExplainAnUnreachableBroker() {
        int port = FreePorts.pick(1)[0];
        Result result = run("tail", topic, "--bootstrap-servers", "127.0.0.1:" + port,
                "--registry-url", SharedStack.registryUrl());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("Cannot reach the Kafka broker at 127.0.0.1:" + port)
                .contains("./headerlog stack start");
    }

    private Result tail(String... options) {
        List<String> args = new ArrayList<>(List.of("tail", topic, "--bootstrap-servers", SharedStack.bootstrapServers(),
                "--registry-url", SharedStack.registryUrl()));
        args.addAll(Arrays.asList(options));
        return run(args.toArray(String[]::new));
    }

    private static Result run(String... args) {
        CommandLine commandLine = ToolsCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        List<String> lines = out.toString().lines().filter(line -> !line.isBlank()).toList();
        return new Result(code, lines, err.toString());
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private void send(KafkaProducer<String, byte[]> producer, PacketHeader header) throws Exception {
        producer.send(new ProducerRecord<>(topic, header.getCommunityId(), serializer.serialize(topic, header))).get();
    }

    private static PacketHeader header(int i) {
        return PacketHeader.newBuilder().setHost("host-" + i).setIfName("eth0").setIfIndex(i).setDirection("ingress")
                .setMonoTimeNs(i).setCaptureTimeNs(1_750_000_000_000_000_000L + i).setPacketLength(100)
                .setPayloadLength(40).setCapturedPayloadLength(40).setCommunityId("1:flow" + i)
                .setHttp(Http.newBuilder().setMethod("GET").setTarget("/items?id=" + i + "&q=\"x\"").setVersion("HTTP/1.1")
                        .build())
                .build();
    }
}
