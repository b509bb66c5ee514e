package io.headerlog.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.streams.errors.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The select step (filter expression, consistent stream sampling) and the dead-letter topic. */
class SelectAndDeadLetterTopologyTest {
    private static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private EnrichCounters counters;
    private TestInputTopic<String, PacketHeader> raw;
    private TestInputTopic<String, byte[]> rawBytes;
    private TestOutputTopic<String, EnrichedHeader> enriched;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    private void start(StreamFunctions functions) {
        SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        counters = new EnrichCounters();
        // one task for every subtopology in the test driver: do not wait for empty partitions
        StreamsAppConfig config = StreamsAppConfig.defaults("127.0.0.1:9092", "http://127.0.0.1:8081")
                .withStateDir(stateDir).withMaxTaskIdle(Duration.ZERO).withFunctions(functions);
        driver = new TopologyTestDriver(EnrichTopology.build(config, registry, counters),
                config.streamsProperties(counters), WALL_CLOCK);
        raw = driver.createInputTopic(config.inputTopic(), new StringSerializer(),
                AvroSerdes.specific(PacketHeader.class, registry, false).serializer());
        rawBytes = driver.createInputTopic(config.inputTopic(), new StringSerializer(), new ByteArraySerializer());
        enriched = driver.createOutputTopic(config.outputTopic(), new StringDeserializer(),
                AvroSerdes.specific(EnrichedHeader.class, registry, false).deserializer());
        deadLetters = driver.createOutputTopic(config.deadLetterTopic(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private List<EnrichedHeader> committedOutput() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        return enriched.readValuesToList();
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A data segment (ACK only) of host's flow with the given label. */
    private static PacketHeader data(String host, String direction, long hash, int port) {
        return SyntheticHosts.tcp(host, direction, SyntheticHosts.START_NS, 16, port, hash, "1:flow-" + port);
    }

    @Test
    void shouldKeepOnlyRecordsTheFilterExpressionAccepts() {
        start(StreamFunctions.DEFAULTS.withFilter("has(header.tcp) && header.tcp.dstPort == 80"));

        raw.pipeInput("1:flow-1", SyntheticHosts.tcp("host-a", "egress", 5L, 2, 40001, 1L, "1:flow-1")); // SYN to port 80
        raw.pipeInput("1:flow-1", SyntheticHosts.tcp("host-b", "egress", 6L, 18, 40001, 2L, "1:flow-1")); // SYN-ACK from 80

        assertThat(committedOutput()).extracting(e -> e.getHeader().getTcp().getDstPort()).containsExactly(80);
        assertThat(counters.filteredOut()).isEqualTo(1);
    }

    @Test
    void shouldSampleEveryHostsRecordOfOnePacketAlikeAndSayTheCombinedRate() {
        start(StreamFunctions.DEFAULTS.withSampleRate(8));
        Random random = new Random(7);
        int packets = 4000;
        for (int i = 0; i < packets; i++) {
            long hash = random.nextLong();
            raw.pipeInput("1:flow-9", data("host-a", "egress", hash, 40009));
            raw.pipeInput("1:flow-9", data("host-b", "ingress", hash, 40009));
        }

        List<EnrichedHeader> out = committedOutput();
        long atA = out.stream().filter(e -> e.getHeader().getHost().equals("host-a")).count();
        List<Long> labelsA = out.stream().filter(e -> e.getHeader().getHost().equals("host-a"))
                .map(e -> e.getHeader().getPacketHash()).toList();
        List<Long> labelsB = out.stream().filter(e -> e.getHeader().getHost().equals("host-b"))
                .map(e -> e.getHeader().getPacketHash()).toList();
        assertThat(labelsB).as("both hosts keep the same packets").isEqualTo(labelsA);
        // 1/8 of 4000 = 500, sd ≈ 21: ±5 sd
        assertThat(atA).isBetween(395L, 605L);
        assertThat(out).extracting(EnrichedHeader::getCombinedSampleRate).containsOnly(8L);
        assertThat(counters.sampledOut()).isEqualTo(2L * packets - out.size());
    }

    @Test
    void shouldKeepHandshakesWhateverTheStreamRate() {
        start(StreamFunctions.DEFAULTS.withSampleRate(1000));
        SyntheticHosts hosts = new SyntheticHosts().host("host-a", 0, 0).host("host-b", 0, 0);
        hosts.handshake("host-a", "host-b", SyntheticHosts.START_NS).records().forEach(h -> raw.pipeInput(h.getCommunityId(), h));

        assertThat(committedOutput()).hasSize(4).extracting(EnrichedHeader::getCombinedSampleRate).containsOnly(1L);
    }

    @Test
    void shouldCountUndecodableRecordsAndKeepProcessing() {
        // The test driver does not produce a deserialization handler's dead letters; EnrichTopologyIT
        // checks them on a real broker.
        start(StreamFunctions.DEFAULTS);
        rawBytes.pipeInput("garbage", new byte[] {7, 1, 2, 3});
        raw.pipeInput("good", data("host-a", "egress", 1L, 40001));

        assertThat(committedOutput()).hasSize(1);
        assertThat(counters.deserializationFailures()).isEqualTo(1);
        assertThat(counters.deadLetters()).isEqualTo(1);
    }

    @Test
    void shouldSendARecordTheFilterFailsOnToTheDeadLetterTopicWithTheReason() {
        // reads http without has(): an error for records that carry no HTTP
        start(StreamFunctions.DEFAULTS.withFilter("header.http.method == 'GET'"));
        raw.pipeInput("1:flow-1", data("host-a", "egress", 1L, 40001));
        raw.pipeInput("1:flow-2", data("host-a", "egress", 2L, 40002));

        assertThat(committedOutput()).isEmpty();
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(header(dead.get(0), DeadLetters.STAGE)).isEqualTo("process");
        assertThat(header(dead.get(0), DeadLetters.REASON)).contains("filter expression failed").contains("has()");
        assertThat(header(dead.get(0), DeadLetters.PROCESSOR)).isEqualTo(EnrichTopology.SELECT_NAME);
        assertThat(counters.deadLetters()).isEqualTo(2);
    }
}
