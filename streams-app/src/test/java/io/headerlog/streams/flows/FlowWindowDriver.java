package io.headerlog.streams.flows;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.FlowWindowSummary;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * A tiny topology around the flows.summary branch — enriched records and flows.raw in,
 * {@link FlowWindowTopology#addTo}, FlowWindowSummary out — in a TopologyTestDriver (at-least-once:
 * output is visible at once).
 */
final class FlowWindowDriver implements AutoCloseable {
    static final String ENRICHED = "enriched-in";
    static final String FLOWS = "flows.raw";
    static final String OUTPUT = Topics.FLOWS_SUMMARY;
    static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");

    final FlowWindowCounters counters = new FlowWindowCounters();
    final Topology topology;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, EnrichedHeader> headers;
    private final TestInputTopic<String, FlowSummary> flows;
    private final TestOutputTopic<String, FlowWindowSummary> output;
    private int ticker;

    FlowWindowDriver(FlowWindowConfig config, Path stateDir) {
        SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Properties props = io.headerlog.streams.BranchDriverProperties.of("flow-window-test", stateDir);
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
        var enrichedSerde = AvroSerdes.specific(EnrichedHeader.class, registry, false);
        var flowSerde = AvroSerdes.specific(FlowSummary.class, registry, false);
        var summarySerde = AvroSerdes.specific(FlowWindowSummary.class, registry, false);
        KStream<String, EnrichedHeader> enriched = builder.stream(ENRICHED,
                Consumed.with(Serdes.String(), enrichedSerde).withName("enriched-source"));
        FlowWindowTopology.addTo(builder, enriched, FLOWS, flowSerde, config, summarySerde, OUTPUT, counters);
        topology = builder.build(props);
        driver = new TopologyTestDriver(topology, props, WALL_CLOCK);
        headers = driver.createInputTopic(ENRICHED, new StringSerializer(), enrichedSerde.serializer());
        flows = driver.createInputTopic(FLOWS, new StringSerializer(), flowSerde.serializer());
        output = driver.createOutputTopic(OUTPUT, new StringDeserializer(), summarySerde.deserializer());
    }

    /** Pipes a header record keyed by its flow, stamped as a collector would (its send time, just after capture). */
    void pipe(EnrichedHeader e) {
        headers.pipeInput(e.getHeader().getCommunityId(), e, e.getHeader().getCaptureTimeNs() / FlowRecords.MS + 20);
    }

    /** Pipes a flows.raw record, stamped at its export {@code exportDelay} after its last packet. */
    void pipe(FlowSummary f, Duration exportDelay) {
        flows.pipeInput(f.getCommunityId(), f, f.getLastSeenNs() / FlowRecords.MS + exportDelay.toMillis());
    }

    /** Moves the task's event time to {@code ns} with a header record of an unrelated flow (which opens its own window). */
    void advanceEventTime(long ns) {
        EnrichedHeader e = FlowRecords.syn(ns);
        e.getHeader().setCommunityId("1:ticker-" + ticker++);
        pipe(e);
    }

    void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    /** The summaries emitted so far, without the ticker flows'. */
    List<TestRecord<String, FlowWindowSummary>> read() {
        return output.readRecordsToList().stream().filter(r -> !r.key().startsWith("1:ticker-")).toList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
