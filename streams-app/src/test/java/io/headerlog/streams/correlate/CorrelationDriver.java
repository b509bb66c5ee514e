package io.headerlog.streams.correlate;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.CorrelatedPacket;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A tiny topology around the correlation branch — enriched records in, {@link PacketCorrelation#addTo},
 * CorrelatedPackets out — in a TopologyTestDriver (at-least-once: output is visible at once).
 */
final class CorrelationDriver implements AutoCloseable {
    static final String INPUT = "enriched-in";
    static final String OUTPUT = PacketCorrelation.DEFAULT_TOPIC;
    static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");

    final CorrelationCounters counters = new CorrelationCounters();
    final Topology topology;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, EnrichedHeader> input;
    private final TestOutputTopic<String, CorrelatedPacket> output;
    private long tickHash = 1_000_000;

    CorrelationDriver(CorrelationConfig config, Path stateDir) {
        SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Properties props = io.headerlog.streams.BranchDriverProperties.of("correlation-test", stateDir);
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
        var enrichedSerde = AvroSerdes.specific(EnrichedHeader.class, registry, false);
        var correlatedSerde = AvroSerdes.specific(CorrelatedPacket.class, registry, false);
        KStream<String, EnrichedHeader> enriched = builder.stream(INPUT,
                Consumed.with(Serdes.String(), enrichedSerde).withName("enriched-source"));
        PacketCorrelation.addTo(builder, enriched, config, correlatedSerde, OUTPUT, counters);
        topology = builder.build(props);
        driver = new TopologyTestDriver(topology, props, WALL_CLOCK);
        input = driver.createInputTopic(INPUT, new StringSerializer(), enrichedSerde.serializer());
        output = driver.createOutputTopic(OUTPUT, new StringDeserializer(), correlatedSerde.deserializer());
    }

    /** Pipes a sighting keyed by its flow, with the record timestamp a collector would give it (its send time). */
    void pipe(EnrichedHeader e, long recordTimestampMs) {
        input.pipeInput(e.getHeader().getCommunityId(), e, recordTimestampMs);
    }

    void pipe(EnrichedHeader e) {
        pipe(e, e.getHeader().getCaptureTimeNs() / Sightings.MS + 20);
    }

    /**
     * Moves the task's event time to {@code ns} with a sighting of an unrelated flow (which itself
     * closes later as a one-host packet).
     */
    void advanceEventTime(long ns) {
        pipe(Sightings.atReference("ticker", "eth0", "egress", ns, "1:ticker", tickHash++));
    }

    void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    List<KeyValue<String, CorrelatedPacket>> read() {
        return output.readKeyValuesToList();
    }

    List<TestRecord<String, CorrelatedPacket>> readRecords() {
        return output.readRecordsToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
