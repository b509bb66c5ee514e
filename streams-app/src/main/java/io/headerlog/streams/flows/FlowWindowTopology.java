package io.headerlog.streams.flows;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.FlowWindowSummary;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The flows.summary branch of the topology:
 *
 * <pre>
 * headers.enriched (key = Community ID) ──┐
 *                                         ├─ flows-summary-merge ─ flows-summary [store flows-summary-windows] ─▶ flows.summary
 * flows.raw (key = Community ID) ─────────┘
 * </pre>
 *
 * No repartition: both inputs carry the collectors' key and have the same partition count (checked
 * at start, {@link CoPartitioning}), so merging them puts partition p of each into task p, where one
 * processor sees both sides of a flow. The app reads headers.enriched back for this (a subtopology of
 * its own) instead of merging flows.raw into the header path: a task with two inputs idles while one
 * of them is empty, and the hot path must not wait for flows.raw's exports.
 */
public final class FlowWindowTopology {
    public static final String SOURCE_NAME = "flows-raw-source";
    /** The app's source of headers.enriched, read back for the summary (see EnrichTopology). */
    public static final String ENRICHED_SOURCE_NAME = "flows-enriched-source";
    public static final String MERGE_NAME = "flows-summary-merge";
    public static final String PROCESSOR_NAME = "flows-summary";
    public static final String STORE_NAME = "flows-summary-windows";
    public static final String SINK_NAME = "flows-summary-sink";

    private FlowWindowTopology() {
    }

    /**
     * Adds the branch: reads {@code enriched} (after the stream's filter and sampling, so the
     * estimate weighs what the records stand for) and {@code flowsTopic}, writes FlowWindowSummary
     * records (key = Community ID) to {@code topic}.
     */
    public static void addTo(StreamsBuilder builder, KStream<String, EnrichedHeader> enriched, String flowsTopic,
            Serde<FlowSummary> flowSerde, FlowWindowConfig config, Serde<FlowWindowSummary> serde, String topic,
            FlowWindowCounters counters) {
        KStream<String, FlowSummary> flows = builder.stream(flowsTopic,
                Consumed.with(Serdes.String(), flowSerde).withName(SOURCE_NAME));
        builder.addStateStore(storeBuilder(STORE_NAME));
        widen(enriched).merge(widen(flows), Named.as(MERGE_NAME))
                .process(() -> new FlowWindowProcessor(config, STORE_NAME, counters), Named.as(PROCESSOR_NAME), STORE_NAME)
                .to(topic, Produced.with(Serdes.String(), serde).withName(SINK_NAME));
    }

    /**
     * A stream of one record type seen as a stream of its supertype, so two can be merged without a
     * mapping node per record: streams only ever hand values on, never store into them, so reading
     * an EnrichedHeader as a SpecificRecord is safe.
     */
    @SuppressWarnings("unchecked")
    private static KStream<String, SpecificRecord> widen(KStream<String, ? extends SpecificRecord> stream) {
        return (KStream<String, SpecificRecord>) stream;
    }

    /**
     * The open-windows store: point|window → {@link WindowTallyCodec} bytes. In memory, because it is
     * bounded ({@link FlowWindowConfig#maxOpenWindows()} per task) and every entry lives a window and a
     * grace; changelogged, so a restart or rebalance resumes the open windows (under exactly-once,
     * consistently with the input offsets) instead of emitting them short. The cache folds the many
     * writes a window gets within one commit interval into one changelog record.
     */
    static StoreBuilder<KeyValueStore<String, byte[]>> storeBuilder(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled();
    }
}
