package io.headerlog.deploy;

import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.CorrelatedPacket;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.FlowWindowSummary;
import io.headerlog.schema.HttpTransaction;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.StreamsStats;
import io.headerlog.topics.Topics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The value schema of every topic the apps write, as their serializers register it (the generated
 * class's schema under the TopicNameStrategy subject {@code <topic>-value}). The dead-letter topic
 * is absent: its records are whatever could not be decoded. {@code TopicSchemasTest} checks that
 * this covers every topic in {@link Topics} and agrees with the schemas' docs and the README.
 */
public final class TopicSchemas {
    private TopicSchemas() {}

    private static final Map<String, Schema> VALUE_SCHEMAS;

    static {
        Map<String, Schema> m = new LinkedHashMap<>();
        m.put(Topics.HEADERS_RAW, PacketHeader.getClassSchema());
        m.put(Topics.HEADERS_ENRICHED, EnrichedHeader.getClassSchema());
        m.put(Topics.COLLECTOR_STATS, CollectorStats.getClassSchema());
        m.put(Topics.FLOWS_RAW, FlowSummary.getClassSchema());
        m.put(Topics.FLOWS_SUMMARY, FlowWindowSummary.getClassSchema());
        m.put(Topics.CLOCK_OFFSETS, ClockOffset.getClassSchema());
        m.put(Topics.PACKETS_CORRELATED, CorrelatedPacket.getClassSchema());
        m.put(Topics.HTTP_TRANSACTIONS, HttpTransaction.getClassSchema());
        m.put(Topics.STREAMS_STATS, StreamsStats.getClassSchema());
        VALUE_SCHEMAS = Collections.unmodifiableMap(m);
    }

    /** Topic → value schema, in a stable order. */
    public static Map<String, Schema> valueSchemas() {
        return VALUE_SCHEMAS;
    }

    /** The registry subject the apps' serializers use for a topic's values. */
    public static String valueSubject(String topic) {
        return SchemaRegistryClient.subjectFor(topic, false);
    }
}
