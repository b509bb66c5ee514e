package io.headerlog.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrichTopologyTest {
    private static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");
    private static final String RAW = "headers.raw";
    private static final String ENRICHED = "headers.enriched";

    @TempDir
    Path stateDir;

    private SchemaRegistryClient registry;
    private EnrichCounters counters;
    private Topology topology;
    private TopologyTestDriver driver;
    private TestInputTopic<String, PacketHeader> raw;
    private TestInputTopic<String, byte[]> rawBytes;
    private TestOutputTopic<String, EnrichedHeader> enriched;
    private java.time.Duration commitInterval;

    @BeforeEach
    void startDriver() {
        registry = new InMemorySchemaRegistryClient();
        counters = new EnrichCounters();
        // The test driver runs every subtopology in one task: waiting for the (empty) clock-samples
        // partition would hold the header records back, which real tasks never do.
        StreamsAppConfig config = StreamsAppConfig.defaults("127.0.0.1:9092", "http://127.0.0.1:8081")
                .withStateDir(stateDir).withMaxTaskIdle(java.time.Duration.ZERO);
        commitInterval = config.commitInterval();
        topology = EnrichTopology.build(config, registry, counters);
        driver = new TopologyTestDriver(topology, config.streamsProperties(counters), WALL_CLOCK);
        Serde<PacketHeader> rawSerde = AvroSerdes.specific(PacketHeader.class, registry, false);
        Serde<EnrichedHeader> enrichedSerde = AvroSerdes.specific(EnrichedHeader.class, registry, false);
        raw = driver.createInputTopic(RAW, new StringSerializer(), rawSerde.serializer());
        rawBytes = driver.createInputTopic(RAW, new StringSerializer(), new ByteArraySerializer());
        enriched = driver.createOutputTopic(ENRICHED, new StringDeserializer(), enrichedSerde.deserializer());
    }

    /** Exactly-once output becomes visible when the transaction commits, on the commit interval. */
    private void commit() {
        driver.advanceWallClockTime(commitInterval);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldCarryHeaderUnchangedWithProvenanceAndProcessingTime() {
        PacketHeader first = PacketHeaders.tcpSyn("host-a", 40001, 1_772_366_400_000_000_000L);
        PacketHeader second = PacketHeaders.tcpSyn("host-b", 40002, 1_772_366_400_000_500_000L);

        raw.pipeInput("flow-1", first);
        raw.pipeInput("flow-2", second);

        commit();
        List<EnrichedHeader> out = enriched.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).getHeader()).isEqualTo(first);
        assertThat(out.get(1).getHeader()).isEqualTo(second);
        assertThat(out).extracting(EnrichedHeader::getRawTopic).containsOnly(RAW);
        assertThat(out).extracting(EnrichedHeader::getRawPartition).containsOnly(0);
        assertThat(out).extracting(EnrichedHeader::getRawOffset).containsExactly(0L, 1L);
        assertThat(out).extracting(EnrichedHeader::getProcessedAtMs).containsOnly(WALL_CLOCK.toEpochMilli());
        assertThat(counters.recordsIn()).isEqualTo(2);
        assertThat(counters.recordsOut()).isEqualTo(2);
    }

    @Test
    void shouldStampProcessingTimeFromTheWallClock() {
        raw.pipeInput("flow-1", PacketHeaders.tcpSyn("host-a", 40001, 1L));
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(5));
        raw.pipeInput("flow-1", PacketHeaders.tcpSyn("host-a", 40001, 2L));

        commit();
        assertThat(enriched.readValuesToList()).extracting(EnrichedHeader::getProcessedAtMs)
                .containsExactly(WALL_CLOCK.toEpochMilli(), WALL_CLOCK.toEpochMilli() + 5_000);
    }

    @Test
    void shouldPreserveKeysAndOrder() {
        raw.pipeInput("1:community-a", PacketHeaders.tcpSyn("host-a", 40001, 10L));
        raw.pipeInput("1:community-b", PacketHeaders.tcpSyn("host-a", 40002, 20L));
        raw.pipeInput("1:community-a", PacketHeaders.tcpSyn("host-b", 40001, 30L));

        commit();
        List<KeyValue<String, EnrichedHeader>> out = enriched.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key)
                .containsExactly("1:community-a", "1:community-b", "1:community-a");
        assertThat(out).extracting(kv -> kv.value.getHeader().getCaptureTimeNs()).containsExactly(10L, 20L, 30L);
    }

    @Test
    void shouldWriteConfluentWireFormatRegisteredUnderTheOutputSubject() {
        TestOutputTopic<byte[], byte[]> bytesOut = driver.createOutputTopic(ENRICHED,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        raw.pipeInput("flow-1", PacketHeaders.tcpSyn("host-a", 40001, 10L));

        commit();
        byte[] value = bytesOut.readValue();
        int registeredId = registry.latestVersion(ENRICHED + "-value").orElseThrow().id();
        assertThat(value[0]).isZero();
        assertThat(ByteBuffer.wrap(value, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(registry.getById(registeredId)).isEqualTo(EnrichedHeader.getClassSchema());
    }

    @Test
    void shouldNameEveryNodeStoreAndInternalTopicExplicitly() {
        TopologyDescription description = topology.describe();

        Set<String> names = description.subtopologies().stream().flatMap(s -> s.nodes().stream())
                .map(TopologyDescription.Node::name).collect(Collectors.toSet());
        assertThat(names).contains(EnrichTopology.SOURCE_NAME, EnrichTopology.SELECT_NAME, EnrichTopology.ALIGN_NAME,
                EnrichTopology.SINK_NAME, EnrichTopology.CLOCK_OBSERVE_NAME, EnrichTopology.CLOCK_MODEL_NAME,
                EnrichTopology.CLOCK_OFFSETS_SINK_NAME);
        assertThat(description.globalStores()).hasSize(1);
        assertThat(description.toString()).doesNotContain("KSTREAM-").doesNotContain("KTABLE-")
                .contains(EnrichTopology.CLOCK_SAMPLES_TOPIC + "-repartition").contains(EnrichTopology.CLOCK_MODEL_STORE);
    }

    @Test
    void shouldNotRepartitionTheHeaderPath() {
        TopologyDescription.Subtopology hot = topology.describe().subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals(EnrichTopology.SINK_NAME)))
                .findFirst().orElseThrow();
        assertThat(hot.nodes()).extracting(TopologyDescription.Node::name)
                .contains(EnrichTopology.SOURCE_NAME, EnrichTopology.SELECT_NAME, EnrichTopology.ALIGN_NAME);
        TopologyDescription.Source source = (TopologyDescription.Source) hot.nodes().stream()
                .filter(n -> n.name().equals(EnrichTopology.SOURCE_NAME)).findFirst().orElseThrow();
        assertThat(source.topicSet()).containsExactly(RAW);
        // no second input either: a task with two input topics idles while one is empty
        assertThat(hot.nodes()).filteredOn(n -> n instanceof TopologyDescription.Source).hasSize(1);
    }

    @Test
    void shouldSkipAndCountMalformedValuesAndKeepProcessing() {
        rawBytes.pipeInput("garbage", new byte[] {7, 1, 2, 3});
        rawBytes.pipeInput("unknown-schema", new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4});
        raw.pipeInput("good", PacketHeaders.tcpSyn("host-a", 40001, 10L));

        commit();
        List<KeyValue<String, EnrichedHeader>> out = enriched.readKeyValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key).isEqualTo("good");
        assertThat(out.get(0).value.getRawOffset()).isEqualTo(2L);
        assertThat(counters.deserializationFailures()).isEqualTo(2);
        assertThat(counters.recordsIn()).isEqualTo(3);
        assertThat(counters.recordsOut()).isEqualTo(1);
    }

    @Test
    void shouldSkipAndCountRecordsWithoutValue() {
        raw.pipeInput("tombstone", (PacketHeader) null);
        raw.pipeInput("good", PacketHeaders.tcpSyn("host-a", 40001, 10L));

        commit();
        assertThat(enriched.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("good");
        assertThat(counters.nullValues()).isEqualTo(1);
        assertThat(counters.recordsIn()).isEqualTo(2);
    }
}
