package io.headerlog.streams;

import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.CorrelatedPacket;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.FlowWindowSummary;
import io.headerlog.schema.HttpTransaction;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.streams.align.AlignProcessor;
import io.headerlog.streams.align.ClockModelProcessor;
import io.headerlog.streams.align.ClockObserveProcessor;
import io.headerlog.streams.align.ClockSampleSerde;
import io.headerlog.streams.clock.ClockSample;
import io.headerlog.streams.clock.ClockSolver;
import io.headerlog.streams.clock.MatcherConfig;
import io.headerlog.streams.correlate.PacketCorrelation;
import io.headerlog.streams.flows.FlowWindowTopology;
import io.headerlog.streams.http.HttpTransactionTopology;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The streams app as one topology:
 *
 * <pre>
 * headers.raw ─┬─ select (filter expression, consistent sampling, provenance) ─ align (clock model) ─┬─▶ headers.enriched
 *              │                                                                                 ├─ correlate-packets ─▶ packets.correlated
 *              │                                                                                 ├─ http-transactions ─▶ http.transactions
 *              │                                                                                 └─ flows-summary (+ flows.raw, same key) ─▶ flows.summary
 *              └─ clock-observe (exchanges seen at both ends) ─▶ [clock-samples, 1 partition] ─ clock-model ─▶ clock.offsets
 * clock.offsets ─▶ global store clock-offsets (read by align)
 * </pre>
 *
 * Keys (the flow's Community ID) pass through the hot path unchanged, so all hosts' records of one
 * flow stay in one partition and nothing on it is repartitioned; only clock samples, a handful per
 * connection, are. The clock branch reads the raw stream before filtering and sampling: a filter
 * that drops handshakes must not starve the clock model. Every node, store and internal topic is
 * named, so the topology description, metrics and state survive edits.
 */
public final class EnrichTopology {
    public static final String SOURCE_NAME = "headers-raw-source";
    public static final String SELECT_NAME = "select-and-stamp";
    public static final String ALIGN_NAME = "align-clocks";
    public static final String SINK_NAME = "headers-enriched-sink";
    public static final String CLOCK_OBSERVE_NAME = "clock-observe";
    public static final String CLOCK_SAMPLES_TOPIC = "clock-samples";
    public static final String CLOCK_MODEL_NAME = "clock-model";
    public static final String CLOCK_MODEL_STORE = "clock-pair-models";
    public static final String CLOCK_OFFSETS_SINK_NAME = "clock-offsets-sink";
    public static final String CLOCK_OFFSETS_SOURCE_NAME = "clock-offsets-source";
    public static final String CLOCK_OFFSETS_STORE = "clock-offsets";

    private EnrichTopology() {
    }

    public static Topology build(StreamsAppConfig config, SchemaRegistryClient registry, EnrichCounters counters) {
        Serde<PacketHeader> rawValues = AvroSerdes.specific(PacketHeader.class, registry, false);
        Serde<EnrichedHeader> enrichedValues = AvroSerdes.specific(EnrichedHeader.class, registry, false);
        Serde<ClockOffset> clockValues = AvroSerdes.specific(ClockOffset.class, registry, false);
        StreamFunctions functions = config.functions();

        // The app's own config, so topology-level settings (explicit naming check, exception
        // handlers) apply while building, not Kafka's defaults.
        StreamsBuilder builder = new StreamsBuilder(
                new TopologyConfig(new StreamsConfig(config.streamsProperties(counters))));

        // Every host's newest clock estimate, on every instance: alignment looks its host up per record.
        builder.globalTable(config.clockTopic(),
                Consumed.with(Serdes.String(), clockValues).withName(CLOCK_OFFSETS_SOURCE_NAME),
                Materialized.<String, ClockOffset, KeyValueStore<Bytes, byte[]>>as(CLOCK_OFFSETS_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(clockValues));

        KStream<String, PacketHeader> raw = builder.stream(config.inputTopic(),
                Consumed.with(Serdes.String(), rawValues).withName(SOURCE_NAME));

        KStream<String, EnrichedHeader> aligned = raw
                .processValues(() -> new EnrichProcessor(functions.filter(), functions.sampler(), counters), Named.as(SELECT_NAME))
                .processValues(() -> new AlignProcessor(CLOCK_OFFSETS_STORE, counters), Named.as(ALIGN_NAME));
        aligned.to(config.outputTopic(), Produced.with(Serdes.String(), enrichedValues).withName(SINK_NAME));

        // The same packet seen at several hosts, on aligned clocks: same partition (flow key), no repartition.
        PacketCorrelation.addTo(builder, aligned, functions.correlation(),
                AvroSerdes.specific(CorrelatedPacket.class, registry, false), config.correlatedTopic(),
                counters.correlation());
        // Requests paired with responses per observer, the client's and server's views joined: same partition.
        HttpTransactionTopology.addTo(builder, aligned, functions.http(),
                AvroSerdes.specific(HttpTransaction.class, registry, false), config.httpTopic(), counters.http());
        // Estimates from the sampled headers next to the collectors' exact flow counters, per window.
        // It reads the enriched records back from headers.enriched rather than from the hot path: a
        // task with two input topics waits (max.task.idle.ms) whenever one of them has nothing
        // buffered, and flows.raw is quiet between exports, which held the hot path's records back
        // for seconds. headers.enriched and flows.raw are keyed and partitioned alike (checked at
        // start), so this second subtopology needs no repartition either.
        if (functions.flowWindows().enabled()) {
            KStream<String, EnrichedHeader> enrichedBack = builder.stream(config.outputTopic(),
                    Consumed.with(Serdes.String(), enrichedValues).withName(FlowWindowTopology.ENRICHED_SOURCE_NAME));
            FlowWindowTopology.addTo(builder, enrichedBack, config.flowsTopic(),
                    AvroSerdes.specific(FlowSummary.class, registry, false), functions.flowWindows(),
                    AvroSerdes.specific(FlowWindowSummary.class, registry, false), config.flowSummaryTopic(),
                    counters.flowWindows());
        }

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLOCK_MODEL_STORE),
                Serdes.String(), Serdes.ByteArray()));
        raw.process(() -> new ClockObserveProcessor(MatcherConfig.DEFAULTS, counters), Named.as(CLOCK_OBSERVE_NAME))
                // one partition: the solution needs every host pair in one task
                .repartition(Repartitioned.<String, ClockSample>as(CLOCK_SAMPLES_TOPIC)
                        .withKeySerde(Serdes.String()).withValueSerde(new ClockSampleSerde()).withNumberOfPartitions(1))
                .process(() -> new ClockModelProcessor(CLOCK_MODEL_STORE, functions.clockModel(),
                                new ClockSolver(functions.clockReference(), ClockSolver.DEFAULT_MAX_EXTRAPOLATION),
                                functions.clockPublishInterval()),
                        Named.as(CLOCK_MODEL_NAME), CLOCK_MODEL_STORE)
                .to(config.clockTopic(), Produced.with(Serdes.String(), clockValues).withName(CLOCK_OFFSETS_SINK_NAME));
        return builder.build(config.streamsProperties(counters));
    }
}
