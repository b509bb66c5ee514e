package io.headerlog.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.schema.PacketHeader;
import io.headerlog.tools.stack.SharedStack;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The REST client against the real registry of the shared stack (Apicurio 3.0.9 behind the proxy). */
class RestSchemaRegistryClientIT {

    private final RestSchemaRegistryClient client = new RestSchemaRegistryClient(SharedStack.registryUrl());
    private final String subject = "client-it-" + UUID.randomUUID() + "-value";

    private static Schema v1() {
        return SchemaBuilder.record("Probe").namespace("io.headerlog.it").fields()
                .requiredString("name").endRecord();
    }

    private static Schema v2Compatible() {
        return SchemaBuilder.record("Probe").namespace("io.headerlog.it").fields()
                .requiredString("name").name("count").type().longType().longDefault(0).endRecord();
    }

    private static Schema v2Incompatible() {
        return SchemaBuilder.record("Probe").namespace("io.headerlog.it").fields()
                .requiredString("name").requiredLong("count").endRecord();
    }

    /** Follows v2Compatible with a field that old data lacks and that has no default. */
    private static Schema v3Incompatible() {
        return SchemaBuilder.record("Probe").namespace("io.headerlog.it").fields()
                .requiredString("name").name("count").type().longType().longDefault(0).requiredString("extra")
                .endRecord();
    }

    @Test
    void shouldRegisterLookUpAndListASubject() {
        int id = client.register(subject, v1());

        assertThat(client.register(subject, v1())).isEqualTo(id);
        // another client instance (no cache) gets the same id for the same schema, even reformatted
        RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(SharedStack.registryUrl());
        Schema reformatted = new Schema.Parser().parse(v1().toString(true));
        assertThat(fresh.register(subject, reformatted)).isEqualTo(id);
        assertThat(fresh.getById(id)).isEqualTo(v1());
        assertThat(fresh.subjects()).contains(subject);
        assertThat(fresh.lookup(subject, v1())).hasValue(id);
        assertThat(fresh.lookup(subject, v2Compatible())).isEmpty();
        assertThat(fresh.lookup("no-such-" + subject, v1())).isEmpty();
        SchemaVersion latest = fresh.latestVersion(subject).orElseThrow();
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.id()).isEqualTo(id);
        assertThat(latest.schema()).isEqualTo(v1());
    }

    @Test
    void shouldAcceptACompatibleEvolutionAndRejectAnIncompatibleOne() {
        client.setCompatibility(subject, CompatibilityLevel.BACKWARD);
        int first = client.register(subject, v1());

        assertThat(client.isCompatible(subject, v2Compatible())).isTrue();
        int second = client.register(subject, v2Compatible());
        assertThat(second).isNotEqualTo(first);
        assertThat(client.latestVersion(subject)).get().extracting(SchemaVersion::version).isEqualTo(2);

        assertThat(client.isCompatible(subject, v3Incompatible())).isFalse();
        assertThatThrownBy(() -> client.register(subject, v3Incompatible()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 409")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(409));
        assertThat(client.latestVersion(subject)).get().extracting(SchemaVersion::version).isEqualTo(2);
    }

    @Test
    void shouldTreatAnUnknownSubjectAsCompatibleAndEmpty() {
        assertThat(client.isCompatible(subject, v2Incompatible())).isTrue();
        assertThat(client.latestVersion(subject)).isEmpty();
    }

    @Test
    void shouldReportAnUnknownIdWithTheRegistrysErrorCode() {
        assertThatThrownBy(() -> client.getById(987_654_321))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 404")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40403));
    }

    @Test
    void shouldStoreTheFullPacketHeaderSchema() {
        int id = client.register(subject, PacketHeader.getClassSchema());

        assertThat(new RestSchemaRegistryClient(SharedStack.registryUrl()).getById(id))
                .isEqualTo(PacketHeader.getClassSchema());
    }

    @Test
    void shouldUseTheStacksBackwardDefaultWhenTheSubjectHasNoLevel() {
        org.junit.jupiter.api.Assumptions.assumeTrue(SharedStack.isOwnStack(),
                "only the local stack is known to default to BACKWARD");
        client.register(subject, v1());

        assertThat(client.isCompatible(subject, v2Incompatible())).isFalse();
    }
}
