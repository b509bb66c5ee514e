package io.headerlog.streams.correlate;

import static io.headerlog.streams.correlate.Sightings.MS;
import static io.headerlog.streams.correlate.Sightings.S;
import static io.headerlog.streams.correlate.Sightings.START_NS;
import static io.headerlog.streams.correlate.Sightings.sighting;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenPacketTest {
    private static final long T = START_NS;
    private static final PacketSummary SUMMARY = new PacketSummary("198.18.0.1", "198.18.0.2", 6, 40000, 80, 1);

    private static OpenPacket packet(Sighting first) {
        return OpenPacket.first("1:f", 42L, SUMMARY, first, 1_000L);
    }

    @Test
    void shouldTakeSightingsWhileTheSpanStaysUnderTheWindow() {
        OpenPacket p = packet(sighting("a", "eth0", "egress", T, T, 0L));

        assertThat(p.fits(T + 2 * S - 1, 2 * S)).isTrue();
        assertThat(p.fits(T - 2 * S + 1, 2 * S)).isTrue();
        assertThat(p.fits(T + 2 * S, 2 * S)).isFalse();

        p.add(sighting("b", "eth0", "ingress", T - 500 * MS, T - 500 * MS, 0L), 900L);
        assertThat(p.startNs()).isEqualTo(T - 500 * MS);
        assertThat(p.fits(T + 1600 * MS, 2 * S)).as("the span now starts earlier").isFalse();
        assertThat(p.deadlineNs(2 * S, S)).isEqualTo(T - 500 * MS + 3 * S);
        assertThat(p.lastRecordTimestampMs()).isEqualTo(1_000L);
        assertThat(p.hostCount()).isEqualTo(2);
    }

    @Test
    void shouldBecomeAmbiguousOnASecondSightingAtOnePoint() {
        OpenPacket p = packet(sighting("a", "eth0", "egress", T, T, 0L));
        p.add(sighting("b", "eth0", "ingress", T + MS, T + MS, 0L), 1_001L);
        p.add(sighting("a", "eth0", "egress", T + 300 * MS, T + 300 * MS, 0L), 1_300L);
        p.add(sighting("b", "eth0", "ingress", T + 301 * MS, T + 301 * MS, 0L), 1_301L);

        assertThat(p.ambiguous()).isTrue();
        assertThat(p.sightings()).isEmpty();
        assertThat(p.observationCount()).isEqualTo(4);
    }

    @Test
    void shouldKeepStackedDevicesOfOneHostApart() {
        // A VLAN device and its parent: one host, one direction, two interfaces — two points.
        OpenPacket p = packet(sighting("a", "eth0.10", "egress", T, T, 0L));
        p.add(sighting("a", "eth0", "egress", T + 2_000, T + 2_000, 0L), 1_000L);

        assertThat(p.ambiguous()).isFalse();
        assertThat(p.sightings()).hasSize(2);
    }

    @Test
    void shouldBoundTheSightingsOfOnePacket() {
        OpenPacket p = packet(sighting("h0", "eth0", "egress", T, T, 0L));
        for (int i = 1; i <= OpenPacket.MAX_SIGHTINGS; i++) {
            p.add(sighting("h" + i, "eth0", "ingress", T + i, T + i, 0L), 1_000L);
        }
        assertThat(p.ambiguous()).isTrue();
        assertThat(p.observationCount()).isEqualTo(OpenPacket.MAX_SIGHTINGS + 1);
    }

    @Test
    void shouldSaturateDeadlinesAndSpansOfGarbageTimes() {
        OpenPacket p = packet(sighting("a", "eth0", "egress", Long.MAX_VALUE - 10, null, null));

        assertThat(p.deadlineNs(2 * S, S)).isEqualTo(Long.MAX_VALUE);
        assertThat(p.fits(Long.MIN_VALUE, 2 * S)).isFalse();
    }

    @Test
    void shouldTreatAHalfAlignedSightingAsUnaligned() {
        Sighting s = new Sighting("a", "eth0", "egress", T, T + 5, null, "client");

        assertThat(s.aligned()).isFalse();
        assertThat(s.eventTimeNs()).isEqualTo(T);
    }
}
