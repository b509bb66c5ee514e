package io.headerlog.collector.reassembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.collector.bpf.Direction;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class StreamKeyTest {

    private static byte[] addr(String text) throws Exception {
        return InetAddress.getByName(text).getAddress();
    }

    @Test
    void shouldKeepIpv4AddressesAndPrintThemAsText() throws Exception {
        StreamKey k = StreamKey.of(3, Direction.EGRESS, addr("198.18.0.1"), addr("198.18.255.254"), 40000, 80);
        assertThat(k.ipVersion()).isEqualTo(4);
        assertThat(k.srcAddress()).containsExactly(addr("198.18.0.1"));
        assertThat(k.dstAddress()).containsExactly(addr("198.18.255.254"));
        assertThat(k).hasToString("if3/EGRESS 198.18.0.1.40000 > 198.18.255.254.80");
    }

    @Test
    void shouldKeepIpv6AddressesWithTheHighBitSet() throws Exception {
        StreamKey k = StreamKey.of(1, Direction.INGRESS, addr("fd00:18::1"), addr("ffff:ffff::ffff"), 65535, 0);
        assertThat(k.ipVersion()).isEqualTo(6);
        assertThat(k.srcAddress()).containsExactly(addr("fd00:18::1"));
        assertThat(k.dstAddress()).containsExactly(addr("ffff:ffff::ffff"));
    }

    @Test
    void shouldReadTheSameKeyFromABufferAtAnyOffset() throws Exception {
        byte[] src = addr("fd00:18::1");
        byte[] dst = addr("fd00:18::2");
        ByteBuffer buf = ByteBuffer.allocate(40);
        buf.put(5, src).put(21, dst);
        StreamKey fromBuffer = StreamKey.of(2, Direction.INGRESS, buf, 5, buf, 21, 16, 1234, 443);
        assertThat(fromBuffer).isEqualTo(StreamKey.of(2, Direction.INGRESS, src, dst, 1234, 443));
        assertThat(fromBuffer.hashCode()).isEqualTo(StreamKey.of(2, Direction.INGRESS, src, dst, 1234, 443).hashCode());
    }

    @Test
    void shouldTellObserversAndDirectionsApart() throws Exception {
        StreamKey k = StreamKey.of(2, Direction.INGRESS, addr("198.18.0.1"), addr("198.18.0.2"), 1, 2);
        assertThat(k).isNotEqualTo(StreamKey.of(3, Direction.INGRESS, addr("198.18.0.1"), addr("198.18.0.2"), 1, 2));
        assertThat(k).isNotEqualTo(StreamKey.of(2, Direction.EGRESS, addr("198.18.0.1"), addr("198.18.0.2"), 1, 2));
        assertThat(k.reversed()).isEqualTo(StreamKey.of(2, Direction.INGRESS, addr("198.18.0.2"), addr("198.18.0.1"), 2, 1));
        assertThat(k.reversed()).isNotEqualTo(k);
    }

    @Test
    void shouldRejectMixedOrOddAddressLengthsAndBadPorts() throws Exception {
        assertThatThrownBy(() -> StreamKey.of(1, Direction.INGRESS, addr("198.18.0.1"), addr("fd00::1"), 1, 2))
                .hasMessageContaining("both be 4 (IPv4) or 16 (IPv6)");
        assertThatThrownBy(() -> StreamKey.of(1, Direction.INGRESS, new byte[5], new byte[5], 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamKey.of(1, Direction.INGRESS, addr("198.18.0.1"), addr("198.18.0.2"), 65536, 2))
                .hasMessageContaining("ports must be 0..65535");
        assertThatThrownBy(() -> new StreamKey(1, Direction.INGRESS, 5, 0, 0, 0, 0, 1, 2))
                .hasMessageContaining("ip version must be 4 or 6");
    }
}
