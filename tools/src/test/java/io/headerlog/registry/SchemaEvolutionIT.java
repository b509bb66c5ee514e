package io.headerlog.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.StreamsStats;
import io.headerlog.tools.stack.SharedStack;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The released schemas (schemas/src/test/resources/schema-history) and the current ones, through the
 * real registry's compatibility API: the registry must accept the current schemas as BACKWARD
 * evolutions of what is already on the topics.
 */
class SchemaEvolutionIT {
    private static final Path HISTORY = Path.of(System.getProperty("headerlog.repo.root", ".."),
            "schemas/src/test/resources/schema-history");

    private final RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SharedStack.registryUrl());

    private static Schema released(String... files) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        Schema last = null;
        for (String f : files) {
            last = parser.parse(HISTORY.resolve(f).toFile());
        }
        return last;
    }

    private void assertRegistryAcceptsEvolution(Schema released, Schema current) {
        String subject = "evolution-it-" + UUID.randomUUID() + "-value";
        registry.setCompatibility(subject, CompatibilityLevel.BACKWARD);
        registry.register(subject, released);

        assertThat(registry.isCompatible(subject, current)).as("current schema is BACKWARD-compatible").isTrue();
        assertThat(registry.register(subject, current)).isPositive();
    }

    @Test
    void shouldAcceptTheCurrentPacketHeaderAfterV1() throws IOException {
        assertRegistryAcceptsEvolution(released("PacketHeader.v1.avsc"), PacketHeader.getClassSchema());
    }

    @Test
    void shouldAcceptTheCurrentEnrichedHeaderAfterV1() throws IOException {
        assertRegistryAcceptsEvolution(released("PacketHeader.v1.avsc", "EnrichedHeader.v1.avsc"),
                EnrichedHeader.getClassSchema());
    }

    @Test
    void shouldAcceptTheCurrentCollectorStatsAfterV1() throws IOException {
        assertRegistryAcceptsEvolution(released("CollectorStats.v1.avsc"), CollectorStats.getClassSchema());
    }

    @Test
    void shouldAcceptTheCurrentStreamsStatsAfterV1() throws IOException {
        assertRegistryAcceptsEvolution(released("StreamsStats.v1.avsc"), StreamsStats.getClassSchema());
    }

    @Test
    void shouldRejectAnIncompatibleChange() throws IOException {
        Schema v1 = released("PacketHeader.v1.avsc");
        String subject = "evolution-it-" + UUID.randomUUID() + "-value";
        registry.setCompatibility(subject, CompatibilityLevel.BACKWARD);
        registry.register(subject, v1);
        // v1 with "host" changed from string to long: old data cannot be read
        Schema broken = new Schema.Parser().parse(v1.toString().replace(
                "{\"name\":\"host\",\"type\":\"string\"", "{\"name\":\"host\",\"type\":\"long\""));
        assertThat(broken).isNotEqualTo(v1);
        assertThat(registry.isCompatible(subject, broken)).isFalse();
    }
}
