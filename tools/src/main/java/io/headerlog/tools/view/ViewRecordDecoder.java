package io.headerlog.tools.view;

import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.StreamsStats;
import io.headerlog.serde.ConfluentAvroDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes every topic the view reads with one consumer: the topic name says which record type to
 * expect. A record that does not decode becomes an {@link Undecodable} value instead of an
 * exception, because a viewer must keep showing the rest of the traffic and count the bad ones.
 */
final class ViewRecordDecoder implements Deserializer<Object> {
    private final String enrichedTopic;
    private final String statsTopic;
    private final String clockTopic;
    private final String streamsStatsTopic;
    private final Deserializer<EnrichedHeader> enriched;
    private final Deserializer<CollectorStats> stats;
    private final Deserializer<ClockOffset> clocks;
    private final Deserializer<StreamsStats> streamsStats;

    ViewRecordDecoder(SchemaRegistryClient registry, String enrichedTopic, String statsTopic, String clockTopic,
            String streamsStatsTopic) {
        this.enrichedTopic = enrichedTopic;
        this.statsTopic = statsTopic;
        this.clockTopic = clockTopic;
        this.streamsStatsTopic = streamsStatsTopic;
        this.enriched = ConfluentAvroDeserializer.specific(registry, EnrichedHeader.class);
        this.stats = ConfluentAvroDeserializer.specific(registry, CollectorStats.class);
        this.clocks = ConfluentAvroDeserializer.specific(registry, ClockOffset.class);
        this.streamsStats = ConfluentAvroDeserializer.specific(registry, StreamsStats.class);
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        if (data == null) {
            return new Undecodable(topic + ": record without value");
        }
        try {
            if (topic.equals(enrichedTopic)) {
                return enriched.deserialize(topic, data);
            }
            if (topic.equals(statsTopic)) {
                return stats.deserialize(topic, data);
            }
            if (topic.equals(clockTopic)) {
                return clocks.deserialize(topic, data);
            }
            if (topic.equals(streamsStatsTopic)) {
                return streamsStats.deserialize(topic, data);
            }
            return new Undecodable("record from unexpected topic " + topic);
        } catch (RuntimeException e) {
            return new Undecodable(topic + ": " + e.getMessage());
        }
    }

    /** A record the view counts but cannot show; {@code reason} says why. */
    record Undecodable(String reason) {
    }
}
