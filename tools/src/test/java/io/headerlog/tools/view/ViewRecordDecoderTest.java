package io.headerlog.tools.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.StreamsStats;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.tools.view.ViewRecordDecoder.Undecodable;
import org.junit.jupiter.api.Test;

class ViewRecordDecoderTest {
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final ViewRecordDecoder decoder = new ViewRecordDecoder(registry, "enriched", "stats", "clocks", "streams");

    @Test
    void shouldDecodeEachTopicAsItsRecordType() {
        EnrichedHeader header = ViewRecords.tcpPacket("host-a", "egress", 1, 1, 3);
        CollectorStats stats = ViewRecords.stats("host-a", ViewRecords.T0_NS, 1, 2);
        byte[] headerBytes = AvroSerdes.specific(EnrichedHeader.class, registry, false).serializer()
                .serialize("enriched", header);
        byte[] statsBytes = AvroSerdes.specific(CollectorStats.class, registry, false).serializer()
                .serialize("stats", stats);

        assertThat(decoder.deserialize("enriched", headerBytes)).isEqualTo(header);
        assertThat(decoder.deserialize("stats", statsBytes)).isEqualTo(stats);
        ClockOffset clock = ViewRecords.clock("host-b", "host-a", 37_000_000, 90_000, 3, ViewRecords.T0_NS / 1_000_000);
        byte[] clockBytes = AvroSerdes.specific(ClockOffset.class, registry, false).serializer().serialize("clocks", clock);
        assertThat(decoder.deserialize("clocks", clockBytes)).isEqualTo(clock);
        StreamsStats streams = ViewRecords.streamsStats("app", "h:1", ViewRecords.T0_NS, 100, 10, 2);
        byte[] streamsBytes = AvroSerdes.specific(StreamsStats.class, registry, false).serializer()
                .serialize("streams", streams);
        assertThat(decoder.deserialize("streams", streamsBytes)).isEqualTo(streams);
    }

    @Test
    void shouldTurnBadBytesIntoUndecodableInsteadOfThrowing() {
        assertThat(decoder.deserialize("enriched", new byte[] {7, 0, 0, 0, 1, 2}))
                .isInstanceOfSatisfying(Undecodable.class, u -> assertThat(u.reason()).startsWith("enriched: "));
        assertThat(decoder.deserialize("stats", new byte[] {0, 0, 0, 0x7f, 1, 2}))
                .isInstanceOf(Undecodable.class);
        assertThat(decoder.deserialize("stats", null))
                .isEqualTo(new Undecodable("stats: record without value"));
        assertThat(decoder.deserialize("other", new byte[] {0}))
                .isEqualTo(new Undecodable("record from unexpected topic other"));
    }
}
