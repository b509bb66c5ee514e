package io.headerlog.streams.correlate;

import static io.headerlog.streams.correlate.Sightings.START_NS;
import static io.headerlog.streams.correlate.Sightings.sighting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenPacketCodecTest {
    private static final long T = START_NS;

    private static void assertSame(OpenPacket a, OpenPacket b) {
        assertThat(b.communityId()).isEqualTo(a.communityId());
        assertThat(b.packetHash()).isEqualTo(a.packetHash());
        assertThat(b.summary()).isEqualTo(a.summary());
        assertThat(b.sightings()).isEqualTo(a.sightings());
        assertThat(b.unstoredSightings()).isEqualTo(a.unstoredSightings());
        assertThat(b.ambiguous()).isEqualTo(a.ambiguous());
        assertThat(b.startNs()).isEqualTo(a.startNs());
        assertThat(b.endNs()).isEqualTo(a.endNs());
        assertThat(b.lastRecordTimestampMs()).isEqualTo(a.lastRecordTimestampMs());
    }

    @Test
    void shouldRoundTripAlignedAndUnalignedSightings() {
        OpenPacket p = OpenPacket.first("1:abc=", -7L, new PacketSummary("fd00:18::1", "fd00:18::2", 17, 5353, 53, 16),
                sighting("a", "eth0", "egress", T, T - 3, 12L), 1_234L);
        p.add(sighting("b", "veth-ü", "ingress", T + 100, null, null), 1_240L);

        assertSame(p, OpenPacketCodec.decode(OpenPacketCodec.encode(p)));
    }

    @Test
    void shouldRoundTripANonIpAmbiguousPacket() {
        OpenPacket p = new OpenPacket("1:x", Long.MIN_VALUE, new PacketSummary(null, null, null, null, null, 1),
                List.of(), 5, true, T, T + 9, 0L);

        assertSame(p, OpenPacketCodec.decode(OpenPacketCodec.encode(p)));
    }

    @Test
    void shouldRejectOtherVersionsTruncationAndTrailingBytes() {
        byte[] good = OpenPacketCodec.encode(OpenPacket.first("1:f", 1L, new PacketSummary(null, null, null, null,
                null, 1), sighting("a", "eth0", "egress", T, null, null), 0L));
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        byte[] longer = Arrays.copyOf(good, good.length + 1);

        assertThatThrownBy(() -> OpenPacketCodec.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> OpenPacketCodec.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> OpenPacketCodec.decode(longer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trailing");
    }
}
