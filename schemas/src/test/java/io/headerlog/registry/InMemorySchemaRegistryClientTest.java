package io.headerlog.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.schema.PacketHeader;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    static Schema v1() {
        return SchemaBuilder.record("Thing").namespace("t").fields().requiredString("name").endRecord();
    }

    static Schema v2WithDefault() {
        return SchemaBuilder.record("Thing").namespace("t").fields().requiredString("name")
                .name("count").type().intType().intDefault(3).endRecord();
    }

    static Schema v2WithoutDefault() {
        return SchemaBuilder.record("Thing").namespace("t").fields().requiredString("name")
                .requiredInt("count").endRecord();
    }

    @Test
    void shouldReturnTheSameIdWhenTheSameSchemaIsRegisteredAgain() {
        int first = registry.register("a-value", v1());
        int again = registry.register("a-value", new Schema.Parser().parse(v1().toString()));

        assertThat(again).isEqualTo(first);
        assertThat(registry.latestVersion("a-value")).get().extracting(SchemaVersion::version).isEqualTo(1);
    }

    @Test
    void shouldShareIdsAcrossSubjectsForEqualSchemas() {
        int a = registry.register("a-value", v1());
        int b = registry.register("b-value", v1());
        int other = registry.register("c-value", PacketHeader.getClassSchema());

        assertThat(b).isEqualTo(a);
        assertThat(other).isNotEqualTo(a);
        assertThat(registry.getById(other)).isEqualTo(PacketHeader.getClassSchema());
        assertThat(registry.subjects()).containsExactly("a-value", "b-value", "c-value");
    }

    @Test
    void shouldAcceptABackwardCompatibleEvolutionAsANewVersion() {
        int first = registry.register("s", v1());

        assertThat(registry.isCompatible("s", v2WithDefault())).isTrue();
        int second = registry.register("s", v2WithDefault());

        assertThat(second).isNotEqualTo(first);
        SchemaVersion latest = registry.latestVersion("s").orElseThrow();
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.id()).isEqualTo(second);
        assertThat(latest.schema()).isEqualTo(v2WithDefault());
    }

    @Test
    void shouldRejectANewRequiredFieldUnderBackwardCompatibility() {
        registry.register("s", v1());

        assertThat(registry.isCompatible("s", v2WithoutDefault())).isFalse();
        assertThatThrownBy(() -> registry.register("s", v2WithoutDefault()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("incompatible")
                .hasMessageContaining("count")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(409));
        assertThat(registry.latestVersion("s")).get().extracting(SchemaVersion::version).isEqualTo(1);
    }

    @Test
    void shouldTreatASubjectWithoutVersionsAsCompatibleWithAnything() {
        assertThat(registry.isCompatible("new-value", v2WithoutDefault())).isTrue();
        assertThat(registry.latestVersion("new-value")).isEmpty();
    }

    @Test
    void shouldAllowAnyChangeWhenTheSubjectLevelIsNone() {
        registry.register("s", v1());
        registry.setCompatibility("s", CompatibilityLevel.NONE);

        assertThat(registry.isCompatible("s", v2WithoutDefault())).isTrue();
        registry.register("s", v2WithoutDefault());
        assertThat(registry.latestVersion("s")).get().extracting(SchemaVersion::version).isEqualTo(2);
    }

    @Test
    void shouldCheckForwardCompatibilityWhenTheDefaultLevelIsForward() {
        registry.setDefaultCompatibility(CompatibilityLevel.FORWARD);
        registry.register("s", v2WithoutDefault());

        // Old readers (with count) cannot read data that lacks count.
        assertThat(registry.isCompatible("s", v1())).isFalse();
    }

    @Test
    void shouldLookUpOnlySchemasRegisteredUnderTheSubject() {
        int id = registry.register("a-value", v1());

        assertThat(registry.lookup("a-value", v1())).hasValue(id);
        assertThat(registry.lookup("b-value", v1())).isEmpty();
        assertThat(registry.lookup("a-value", v2WithDefault())).isEmpty();
    }

    @Test
    void shouldReportAnUnknownIdWithTheConfluentErrorCode() {
        assertThatThrownBy(() -> registry.getById(999))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("999")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40403));
    }

    @Test
    void shouldNameSubjectsByTopicNameStrategy() {
        assertThat(SchemaRegistryClient.subjectFor("headers.raw", false)).isEqualTo("headers.raw-value");
        assertThat(SchemaRegistryClient.subjectFor("headers.raw", true)).isEqualTo("headers.raw-key");
    }
}
