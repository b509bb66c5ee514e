package io.headerlog.streams.http;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.HttpTransaction;
import java.util.Map;
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
 * The http.transactions branch of the topology:
 *
 * <pre>
 * enriched ─ http-transactions (store http-connections, keyed by Community ID) ─▶ http.transactions
 * </pre>
 *
 * It reads the enriched stream as it is: every host's records of a flow share a partition (the
 * collectors key by Community ID), so no repartition is needed. The node, the store (and so its
 * changelog topic) and the sink have explicit names.
 */
public final class HttpTransactionTopology {
    public static final String PROCESSOR_NAME = "http-transactions";
    public static final String STORE_NAME = "http-connections";
    public static final String SINK_NAME = "http-transactions-sink";

    private HttpTransactionTopology() {
    }

    /**
     * Adds the branch: reads {@code enriched}, writes HttpTransaction records (key = Community ID) to
     * {@code topic}.
     */
    public static void addTo(StreamsBuilder builder, KStream<String, EnrichedHeader> enriched,
            HttpTransactionConfig config, Serde<HttpTransaction> serde, String topic, HttpCounters counters) {
        builder.addStateStore(storeBuilder());
        enriched.process(() -> new HttpTransactionProcessor(config, counters, STORE_NAME), Named.as(PROCESSOR_NAME),
                        STORE_NAME)
                .to(topic, Produced.with(Serdes.String(), serde).withName(SINK_NAME));
    }

    /**
     * The connection store: in memory (its size is bounded by the config, and it is read and
     * rewritten on every HTTP record) and changelogged, so a restarted task resumes its open requests
     * and waiting views. No cache: every write is needed by the next record of the connection anyway.
     */
    static StoreBuilder<KeyValueStore<String, ConnectionState>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE_NAME), Serdes.String(),
                ConnectionStateCodec.serde()).withCachingDisabled().withLoggingEnabled(Map.of());
    }
}
