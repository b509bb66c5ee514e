package io.headerlog.streams.correlate;

import io.headerlog.schema.CorrelatedPacket;
import io.headerlog.schema.EnrichedHeader;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The cross-host correlation branch of the topology:
 *
 * <pre>
 * enriched (key = Community ID) ─ correlate-packets [store correlate-open-packets] ─▶ packets.correlated
 * </pre>
 *
 * No repartition: the enriched stream keeps the collectors' key, so all hosts' sightings of a flow
 * are in one task. The output is keyed by Community ID too.
 */
public final class PacketCorrelation {
    public static final String DEFAULT_TOPIC = "packets.correlated";
    public static final String PROCESSOR_NAME = "correlate-packets";
    public static final String STORE_NAME = "correlate-open-packets";
    public static final String SINK_NAME = "packets-correlated-sink";

    private PacketCorrelation() {
    }

    /**
     * Adds the branch: the processor reading {@code enriched} (after clock alignment, so sightings
     * carry aligned times), its store, and the sink to {@code topic}.
     */
    public static void addTo(StreamsBuilder builder, KStream<String, EnrichedHeader> enriched, CorrelationConfig config,
            Serde<CorrelatedPacket> serde, String topic, CorrelationCounters counters) {
        builder.addStateStore(storeBuilder(STORE_NAME));
        enriched.process(() -> new CorrelateProcessor(config, STORE_NAME, counters), Named.as(PROCESSOR_NAME), STORE_NAME)
                .to(topic, Produced.with(Serdes.String(), serde).withName(SINK_NAME));
    }

    /**
     * The open-packets store: flow|label → {@link OpenPacketCodec} bytes. In memory, because it is
     * bounded ({@link CorrelationConfig#maxOpenPackets()} per task) and every entry lives only a window
     * and a grace — RocksDB would write and compact seconds-lived keys for nothing. Changelogged, so a
     * restart or rebalance resumes the open packets (under exactly-once, consistently with the input
     * offsets) instead of losing a window of correlations; the cache folds a packet's several writes
     * within one commit interval into one changelog record.
     */
    public static StoreBuilder<KeyValueStore<String, byte[]>> storeBuilder(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled();
    }
}
