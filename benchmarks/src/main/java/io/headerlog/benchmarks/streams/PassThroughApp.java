package io.headerlog.benchmarks.streams;

import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.streams.EnrichCounters;
import io.headerlog.streams.StreamsAppConfig;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The baseline: headers.raw copied to another topic through the same PacketHeader serde (decode and
 * re-encode every record) under the enrich app's own Kafka Streams properties — exactly-once v2,
 * the same commit interval, task idling and handlers — so the ratio to it is the cost of the stream
 * functions alone.
 */
final class PassThroughApp implements AutoCloseable {
    private final KafkaStreams streams;

    private PassThroughApp(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Starts copying {@code config.inputTopic()} to {@code config.outputTopic()}. */
    static PassThroughApp start(StreamsAppConfig config, SchemaRegistryClient registry) {
        Properties p = config.streamsProperties(new EnrichCounters());
        Serde<PacketHeader> values = AvroSerdes.specific(PacketHeader.class, registry, false);
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(p)));
        builder.stream(config.inputTopic(), Consumed.with(Serdes.String(), values).withName("pass-source"))
                .to(config.outputTopic(), Produced.with(Serdes.String(), values).withName("pass-sink"));
        Topology topology = builder.build(p);
        KafkaStreams streams = new KafkaStreams(topology, p);
        streams.start();
        return new PassThroughApp(streams);
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
