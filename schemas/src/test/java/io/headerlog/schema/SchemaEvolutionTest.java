package io.headerlog.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.AvroCompatibility;
import io.headerlog.registry.CompatibilityLevel;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The schemas evolve BACKWARD-compatibly: new readers read what old writers wrote. */
class SchemaEvolutionTest {

    @Test
    void shouldReadPacketHeaderV1WithTheCurrentSchema() {
        assertThat(AvroCompatibility.isCompatible(PacketHeader.getClassSchema(),
                List.of(SchemaHistory.packetHeaderV1()), CompatibilityLevel.BACKWARD)).isTrue();
    }

    @Test
    void shouldReadEnrichedHeaderV1WithTheCurrentSchema() {
        assertThat(AvroCompatibility.isCompatible(EnrichedHeader.getClassSchema(),
                List.of(SchemaHistory.enrichedHeaderV1()), CompatibilityLevel.BACKWARD)).isTrue();
    }

    @Test
    void shouldReadCollectorStatsV1WithTheCurrentSchema() {
        assertThat(AvroCompatibility.isCompatible(CollectorStats.getClassSchema(),
                List.of(SchemaHistory.collectorStatsV1()), CompatibilityLevel.BACKWARD)).isTrue();
    }

    @Test
    void shouldReadClockOffsetV1WithTheCurrentSchema() {
        assertThat(AvroCompatibility.isCompatible(ClockOffset.getClassSchema(),
                List.of(SchemaHistory.clockOffsetV1()), CompatibilityLevel.BACKWARD)).isTrue();
    }

    @Test
    void shouldReadCorrelatedPacketV1WithTheCurrentSchema() {
        assertThat(AvroCompatibility.isCompatible(CorrelatedPacket.getClassSchema(),
                List.of(SchemaHistory.correlatedPacketV1()), CompatibilityLevel.BACKWARD)).isTrue();
    }

    @Test
    void shouldReadHttpTransactionV1WithTheCurrentSchema() {
        assertThat(AvroCompatibility.isCompatible(HttpTransaction.getClassSchema(),
                List.of(SchemaHistory.httpTransactionV1()), CompatibilityLevel.BACKWARD)).isTrue();
    }

    @Test
    void shouldReadFlowSummaryV1WithTheCurrentSchema() {
        assertThat(AvroCompatibility.isCompatible(FlowSummary.getClassSchema(),
                List.of(SchemaHistory.flowSummaryV1()), CompatibilityLevel.BACKWARD)).isTrue();
    }

    @Test
    void shouldReadFlowWindowSummaryV1WithTheCurrentSchema() {
        assertThat(AvroCompatibility.isCompatible(FlowWindowSummary.getClassSchema(),
                List.of(SchemaHistory.flowWindowSummaryV1()), CompatibilityLevel.BACKWARD)).isTrue();
    }

    @Test
    void shouldReadStreamsStatsV1WithTheCurrentSchema() {
        assertThat(AvroCompatibility.isCompatible(StreamsStats.getClassSchema(),
                List.of(SchemaHistory.streamsStatsV1()), CompatibilityLevel.BACKWARD)).isTrue();
    }

    @Test
    void shouldCatchAFieldAddedWithoutDefault() {
        // proves the check above can fail: a new required field breaks old data
        Schema broken = SchemaBuilder.record("PacketHeader").namespace("io.headerlog.schema").fields()
                .requiredString("host").requiredString("mustHave").endRecord();
        Schema old = SchemaBuilder.record("PacketHeader").namespace("io.headerlog.schema").fields()
                .requiredString("host").endRecord();
        assertThat(AvroCompatibility.isCompatible(broken, List.of(old), CompatibilityLevel.BACKWARD)).isFalse();
    }
}
