package io.headerlog.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryException;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.streams.errors.DeadLetterDeserializationHandler;
import java.nio.file.Path;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryOutageTest {
    @TempDir
    Path stateDir;

    @Test
    void shouldStopInsteadOfSkippingRecordsWhileTheRegistryIsUnreachable() {
        EnrichCounters counters = new EnrichCounters();
        StreamsAppConfig config = StreamsAppConfig.defaults("127.0.0.1:9092", "http://127.0.0.1:1")
                .withStateDir(stateDir);
        // A producer wrote through a registry the app cannot reach: port 1 on loopback refuses at once.
        byte[] value = AvroSerdes.specific(PacketHeader.class, new InMemorySchemaRegistryClient(), false).serializer()
                .serialize(config.inputTopic(), PacketHeaders.tcpSyn("host-a", 40001, 1L));
        RestSchemaRegistryClient unreachable = new RestSchemaRegistryClient(config.registryUrl());

        try (TopologyTestDriver driver = new TopologyTestDriver(EnrichTopology.build(config, unreachable, counters),
                config.streamsProperties(counters))) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(config.inputTopic(), new StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());

            assertThatThrownBy(() -> raw.pipeInput("flow-1", value)).isInstanceOf(StreamsException.class);
        }
        assertThat(counters.deserializationFailures()).isZero();
    }

    @Test
    void shouldTellRegistryOutagesFromBadRecords() {
        SchemaRegistryException unreachable = new SchemaRegistryException("refused", new java.io.IOException("x"));
        SchemaRegistryException serverError = new SchemaRegistryException("boom", 503, 50301);
        SchemaRegistryException unknownId = new SchemaRegistryException("Schema 9 not found", 404, 40403);

        assertThat(DeadLetterDeserializationHandler.registryOutage(new SerializationException("wrapped", unreachable)))
                .isSameAs(unreachable);
        assertThat(DeadLetterDeserializationHandler.registryOutage(serverError)).isSameAs(serverError);
        assertThat(DeadLetterDeserializationHandler.registryOutage(new SerializationException("id", unknownId))).isNull();
        assertThat(DeadLetterDeserializationHandler.registryOutage(new SerializationException("magic byte 7"))).isNull();
    }
}
