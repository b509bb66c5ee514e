package io.headerlog.testing;

import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PacketBuilderTest {

    private static final String MAC_A = "02:00:00:00:00:0a";
    private static final String MAC_B = "02:00:00:00:00:0b";

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    @Test
    void shouldComputeTheRfc1071ChecksumOfAKnownIpv4Header() {
        // The worked example of the IPv4 header checksum (192.168.0.1 -> 192.168.0.199, checksum 0xb861).
        byte[] h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0, 0,
            (byte) 0xc0, (byte) 0xa8, 0x00, 0x01, (byte) 0xc0, (byte) 0xa8, 0x00, (byte) 0xc7};
        assertThat(Checksums.checksum(h, 0, h.length)).isEqualTo(0xb861);
    }

    @Test
    void shouldBuildAnIpv4UdpFrameWithConsistentLengthsAndChecksums() throws Exception {
        byte[] f = PacketBuilder.ethernet(MAC_A, MAC_B).ipv4(InetAddress.getByName("198.18.0.1"), InetAddress.getByName("198.18.0.2"))
                .ttl(9).ipId(0xabcd).dontFragment(true).udp(1000, 2000).payload(new byte[] {1, 2, 3}).build();

        assertThat(f).hasSize(14 + 20 + 8 + 3);
        assertThat(u16(f, 12)).isEqualTo(ETH_P_IP);
        assertThat(u16(f, 16)).as("total length").isEqualTo(31);
        assertThat(u16(f, 18)).isEqualTo(0xabcd);
        assertThat(u16(f, 20)).isEqualTo(0x4000);
        assertThat(f[22]).isEqualTo((byte) 9);
        assertThat(f[23]).isEqualTo((byte) IPPROTO_UDP);
        assertThat(Checksums.checksum(f, 14, 20)).as("a header with a correct checksum sums to zero").isZero();
        assertThat(u16(f, 38)).as("UDP length").isEqualTo(11);
        long udp = Checksums.pseudoHeaderSum(new byte[] {(byte) 198, 18, 0, 1}, new byte[] {(byte) 198, 18, 0, 2}, IPPROTO_UDP, 11)
                + Checksums.sum(f, 34, 11);
        assertThat(Checksums.finish(udp)).isZero();
    }

    @Test
    void shouldChainIpv6ExtensionHeadersToTheL4Protocol() throws Exception {
        PacketBuilder b = PacketBuilder.ethernet(MAC_A, MAC_B).ipv6(InetAddress.getByName("fd00::1"), InetAddress.getByName("fd00::2"))
                .flowLabel(0x12345).tos(0xa0).hopByHop().ipv6Fragment(0x01020304L, 3, true).tcp(1, 2).flags(TH_SYN).mss(1400);
        byte[] f = b.build();

        assertThat(b.l4Offset()).isEqualTo(14 + 40 + 16);
        assertThat(f[14] & 0xff).isEqualTo(0x6a);
        assertThat(((f[15] & 0x0f) << 16) | u16(f, 16)).isEqualTo(0x12345);
        assertThat(u16(f, 18)).as("payload length").isEqualTo(16 + 24);
        assertThat(f[20]).as("next: hop-by-hop").isEqualTo((byte) IPPROTO_HOPOPTS);
        assertThat(f[54]).as("hop-by-hop next: fragment").isEqualTo((byte) IPPROTO_FRAGMENT);
        assertThat(f[62]).as("fragment next: TCP").isEqualTo((byte) IPPROTO_TCP);
        assertThat(u16(f, 64)).as("offset 3, M set").isEqualTo((3 << 3) | 1);
        assertThat(f[70 + 12] & 0xff).as("data offset 6 words").isEqualTo(6 << 4);
    }

    @Test
    void shouldPadTcpOptionsToAWordAndSetTheAeBit() throws Exception {
        byte[] f = PacketBuilder.ethernet(MAC_A, MAC_B).ipv4(InetAddress.getByName("198.18.0.1"), InetAddress.getByName("198.18.0.2"))
                .tcp(1, 2).flags(TH_SYN | TH_AE).windowScale(7).build();

        assertThat(f).hasSize(14 + 20 + 24);
        assertThat(f[34 + 12] & 0xff).isEqualTo((6 << 4) | 1);
        assertThat(f[34 + 13] & 0xff).isEqualTo(TH_SYN);
        assertThat(new byte[] {f[54], f[55], f[56], f[57]}).containsExactly(3, 3, 7, 0);
    }

    @Test
    void shouldPutVlanTagsOutermostFirstAndTruncateOnRequest() throws Exception {
        byte[] f = PacketBuilder.ethernet(MAC_A, MAC_B).vlan(ETH_P_8021AD, 100).vlan(ETH_P_8021Q, 4095)
                .ipv4(InetAddress.getByName("198.18.0.1"), InetAddress.getByName("198.18.0.2")).udp(1, 2).truncateTo(30).build();

        assertThat(f).hasSize(30);
        assertThat(u16(f, 12)).isEqualTo(ETH_P_8021AD);
        assertThat(u16(f, 14)).isEqualTo(100);
        assertThat(u16(f, 16)).isEqualTo(ETH_P_8021Q);
        assertThat(u16(f, 18)).isEqualTo(4095);
        assertThat(u16(f, 20)).isEqualTo(ETH_P_IP);
    }

    @Test
    void shouldCarryOnlyThePayloadInANonIpFrame() {
        byte[] f = PacketBuilder.ethernet(MAC_A, MAC_B).nonIp(0x88b5).payload(new byte[] {7, 8}).build();
        assertThat(f).hasSize(16);
        assertThat(u16(f, 12)).isEqualTo(0x88b5);
        assertThat(f[14]).isEqualTo((byte) 7);
    }
}
