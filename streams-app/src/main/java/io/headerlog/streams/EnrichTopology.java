package io.headerlog.streams;

import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * headers.raw → enrich → headers.enriched. Every node is named so the topology description, the
 * metrics and any future state stay stable when steps are added in between.
 */
public final class EnrichTopology {
    public static final String SOURCE_NAME = "headers-raw-source";
    public static final String ENRICH_NAME = "enrich-provenance";
    public static final String SINK_NAME = "headers-enriched-sink";

    private EnrichTopology() {
    }

    /**
     * The topology of the enrich application. Keys (the flow's community id) pass through unchanged,
     * so all hosts' records of one flow stay in one partition and nothing is repartitioned.
     */
    public static Topology build(StreamsAppConfig config, SchemaRegistryClient registry, EnrichCounters counters) {
        Serde<PacketHeader> rawValues = AvroSerdes.specific(PacketHeader.class, registry, false);
        Serde<EnrichedHeader> enrichedValues = AvroSerdes.specific(EnrichedHeader.class, registry, false);

        // The app's own config, so topology-level settings (explicit naming check, exception
        // handlers) apply while building, not Kafka's defaults.
        StreamsBuilder builder = new StreamsBuilder(
                new TopologyConfig(new StreamsConfig(config.streamsProperties(counters))));
        builder.stream(config.inputTopic(), Consumed.with(Serdes.String(), rawValues).withName(SOURCE_NAME))
                .processValues(() -> new EnrichProcessor(counters), Named.as(ENRICH_NAME))
                .to(config.outputTopic(), Produced.with(Serdes.String(), enrichedValues).withName(SINK_NAME));
        return builder.build(config.streamsProperties(counters));
    }
}
