package io.headerlog.collector.decode;

import static io.headerlog.collector.bpf.EventLayout.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.collector.time.WallClock;
import io.headerlog.schema.PacketHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {
    private static final long OFFSET = 1_700_000_000_000_000_000L;
    private final WallClock clock = new WallClock(Duration.ofHours(1), Duration.ZERO, () -> 1_000L, () -> OFFSET + 1_000L);
    private final PacketDecoder decoder = new PacketDecoder("host-a", i -> "veth" + i, clock);

    private static HlEventBuilder tcpSyn() throws Exception {
        return new HlEventBuilder()
                .u64(MONO_NS, 5_000_000_000L).u32(IFINDEX, 7).u32(PKT_LEN, 74).u32(PAYLOAD_LEN, 0)
                .u16(GSO_SEGS, 1).u8(DIRECTION, DIR_EGRESS).u8(PARSE_FLAGS, PF_L4_PARSED)
                .macs(new byte[] {2, 0, 0, 0, 0, 1}, new byte[] {2, 0, 0, 0, 0, 2})
                .u16(ETH_TYPE, 0x0800).addrs("198.18.0.1", "198.18.0.2")
                .u8(IP_PROTO, 6).u8(IP_TTL, 61).u8(IP_TOS, (46 << 2) | 1).u8(IP_FRAG_FLAGS, IP_DF)
                .u32(IP_ID, 0xbeef).u16(IP_TOTAL_LEN, 60).u16(L4_HDR_LEN, 40)
                .u16(SPORT, 40000).u16(DPORT, 8080).u32(TCP_SEQ, 0xfffffff0L).u32(TCP_ACK, 0)
                .u16(TCP_WINDOW, 64240).u16(TCP_FLAGS, 0x02)
                .u8(TCP_OPTS, TCPOPT_MSS | TCPOPT_WSCALE | TCPOPT_SACK_PERM | TCPOPT_TS)
                .u16(TCP_MSS, 1460).u8(TCP_WSCALE, 7).u32(TCP_TS_VAL, 0x80000001L).u32(TCP_TS_ECR, 0);
    }

    @Test
    void shouldDecodeEveryL2ToL4FieldOfATcpSyn() throws Exception {
        HlEventBuilder e = tcpSyn();
        PacketHeader h = decoder.decode(e.buffer(), 0, e.length());

        assertThat(h.getHost()).isEqualTo("host-a");
        assertThat(h.getIfName()).isEqualTo("veth7");
        assertThat(h.getIfIndex()).isEqualTo(7);
        assertThat(h.getDirection()).isEqualTo("egress");
        assertThat(h.getMonoTimeNs()).isEqualTo(5_000_000_000L);
        assertThat(h.getCaptureTimeNs()).isEqualTo(5_000_000_000L + OFFSET);
        assertThat(h.getPacketLength()).isEqualTo(74);
        assertThat(h.getGsoSegs()).isEqualTo(1);
        assertThat(h.getParseFlags()).isEmpty();
        assertThat(h.getEthernet().getSrcMac()).isEqualTo("02:00:00:00:00:01");
        assertThat(h.getEthernet().getDstMac()).isEqualTo("02:00:00:00:00:02");
        assertThat(h.getEthernet().getEtherType()).isEqualTo(0x0800);
        assertThat(h.getIp().getVersion()).isEqualTo(4);
        assertThat(h.getIp().getSrc()).isEqualTo("198.18.0.1");
        assertThat(h.getIp().getDst()).isEqualTo("198.18.0.2");
        assertThat(h.getIp().getTtl()).isEqualTo(61);
        assertThat(h.getIp().getDscp()).isEqualTo(46);
        assertThat(h.getIp().getEcn()).isEqualTo(1);
        assertThat(h.getIp().getIpId()).isEqualTo(0xbeefL);
        assertThat(h.getIp().getFlowLabel()).isNull();
        assertThat(h.getIp().getDontFragment()).isTrue();
        assertThat(h.getIp().getMoreFragments()).isFalse();
        assertThat(h.getIp().getTotalLength()).isEqualTo(60);
        assertThat(h.getTcp().getSrcPort()).isEqualTo(40000);
        assertThat(h.getTcp().getDstPort()).isEqualTo(8080);
        assertThat(h.getTcp().getSeq()).isEqualTo(0xfffffff0L);
        assertThat(h.getTcp().getFlagNames()).isEqualTo("SYN");
        assertThat(h.getTcp().getWindow()).isEqualTo(64240);
        assertThat(h.getTcp().getHeaderLength()).isEqualTo(40);
        assertThat(h.getTcp().getOptions().getMss()).isEqualTo(1460);
        assertThat(h.getTcp().getOptions().getWindowScale()).isEqualTo(7);
        assertThat(h.getTcp().getOptions().getSackPermitted()).isTrue();
        assertThat(h.getTcp().getOptions().getTsVal()).isEqualTo(0x80000001L);
        assertThat(h.getTcp().getOptions().getTsEcr()).isZero();
        assertThat(h.getUdp()).isNull();
        assertThat(h.getIcmp()).isNull();
        assertThat(h.getCommunityId()).startsWith("1:");
    }

    @Test
    void shouldGiveBothDirectionsOfAFlowTheSameCommunityId() throws Exception {
        HlEventBuilder out = tcpSyn();
        HlEventBuilder back = tcpSyn().addrs("198.18.0.2", "198.18.0.1").u16(SPORT, 8080).u16(DPORT, 40000);
        String a = decoder.decode(out.buffer(), 0, out.length()).getCommunityId();
        String b = decoder.decode(back.buffer(), 0, back.length()).getCommunityId();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void shouldLeaveAbsentTcpOptionsNull() throws Exception {
        HlEventBuilder e = tcpSyn().u8(TCP_OPTS, 0).u16(TCP_FLAGS, 0x10);
        PacketHeader h = decoder.decode(e.buffer(), 0, e.length());
        assertThat(h.getTcp().getOptions().getMss()).isNull();
        assertThat(h.getTcp().getOptions().getWindowScale()).isNull();
        assertThat(h.getTcp().getOptions().getSackPermitted()).isFalse();
        assertThat(h.getTcp().getOptions().getTsVal()).isNull();
    }

    @Test
    void shouldDecodeIpv6UdpWithFlowLabelAndNoIpId() throws Exception {
        HlEventBuilder e = new HlEventBuilder()
                .u8(PARSE_FLAGS, PF_L4_PARSED).u16(ETH_TYPE, 0x86dd).addrs("fd00::1", "fd00::2")
                .u8(IP_PROTO, 17).u8(IP_TTL, 64).u32(IP_FLOW_LABEL, 0xabcde).u16(IP_TOTAL_LEN, 40 + 8 + 5)
                .u16(SPORT, 5353).u16(DPORT, 53).u16(UDP_LEN, 13).u32(PAYLOAD_LEN, 5);
        PacketHeader h = decoder.decode(e.buffer(), 0, e.length());
        assertThat(h.getIp().getSrc()).isEqualTo("fd00::1");
        assertThat(h.getIp().getFlowLabel()).isEqualTo(0xabcde);
        assertThat(h.getIp().getIpId()).isNull();
        assertThat(h.getUdp().getSrcPort()).isEqualTo(5353);
        assertThat(h.getUdp().getLength()).isEqualTo(13);
        assertThat(h.getPayloadLength()).isEqualTo(5);
    }

    @Test
    void shouldDecodeIcmpv6EchoWithIdAndSequence() throws Exception {
        HlEventBuilder e = new HlEventBuilder()
                .u8(PARSE_FLAGS, PF_L4_PARSED).u16(ETH_TYPE, 0x86dd).addrs("fd00::1", "fd00::2")
                .u8(IP_PROTO, 58).u8(ICMP_TYPE, 128).u8(ICMP_CODE, 0).u16(ICMP_ID, 4242).u16(ICMP_SEQ, 3);
        PacketHeader h = decoder.decode(e.buffer(), 0, e.length());
        assertThat(h.getIcmp().getType()).isEqualTo(128);
        assertThat(h.getIcmp().getEchoId()).isEqualTo(4242);
        assertThat(h.getIcmp().getEchoSeq()).isEqualTo(3);
    }

    @Test
    void shouldReportParseProblemsAndKeepL3WhenL4IsMissing() throws Exception {
        HlEventBuilder e = tcpSyn().u8(PARSE_FLAGS, PF_TRUNCATED | PF_FRAGMENT)
                .u8(IP_FRAG_FLAGS, IP_MF).u16(IP_FRAG_OFF, 185);
        PacketHeader h = decoder.decode(e.buffer(), 0, e.length());
        assertThat(h.getParseFlags()).containsExactly("TRUNCATED", "FRAGMENT");
        assertThat(h.getIp().getFragmentOffset()).isEqualTo(185);
        assertThat(h.getIp().getMoreFragments()).isTrue();
        assertThat(h.getTcp()).isNull();
    }

    @Test
    void shouldCountAnOffloadedVlanTagInThePacketLength() throws Exception {
        HlEventBuilder e = tcpSyn().u8(PARSE_FLAGS, PF_L4_PARSED | PF_VLAN_OFFLOADED).u8(VLAN_COUNT, 1).u16(VLAN_IDS, 42);
        PacketHeader h = decoder.decode(e.buffer(), 0, e.length());
        assertThat(h.getPacketLength()).isEqualTo(74 + 4);
        assertThat(h.getEthernet().getVlanIds()).containsExactly(42);
    }

    @Test
    void shouldDecodeVlanTagsAndNonIpFrames() {
        HlEventBuilder e = new HlEventBuilder().u8(VLAN_COUNT, 2).u16(VLAN_IDS, 100).u16(VLAN_IDS + 2, 200)
                .u16(ETH_TYPE, 0x0806);
        PacketHeader h = decoder.decode(e.buffer(), 0, e.length());
        assertThat(h.getEthernet().getVlanIds()).containsExactly(100, 200);
        assertThat(h.getEthernet().getEtherType()).isEqualTo(0x0806);
        assertThat(h.getIp()).isNull();
        assertThat(h.getCommunityId()).isNull();
    }

    @Test
    void shouldRejectRecordsThatBreakTheContract() {
        ByteBuffer tooShort = ByteBuffer.allocate(SIZE - 1);
        assertThatThrownBy(() -> decoder.decode(tooShort, 0, SIZE - 1)).isInstanceOf(MalformedRecordException.class);
        HlEventBuilder lying = new HlEventBuilder().u16(SNAP_LEN, 100);
        assertThatThrownBy(() -> decoder.decode(lying.buffer(), 0, lying.length()))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("100 payload bytes");
    }

    @Test
    void shouldDecodeAnyFieldValuesWithoutThrowing() {
        Random rnd = new Random(7);
        byte[] raw = new byte[SIZE + 64];
        for (int i = 0; i < 20_000; i++) {
            rnd.nextBytes(raw);
            ByteBuffer b = ByteBuffer.wrap(raw);
            b.order(java.nio.ByteOrder.nativeOrder()).putShort(SNAP_LEN, (short) rnd.nextInt(65));
            decoder.decode(b, 0, raw.length);
        }
    }
}
