package io.headerlog.collector.bpf;

import static io.headerlog.collector.bpf.EventLayout.*;
import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.CaptureRig;
import io.headerlog.testing.EventCollector;
import io.headerlog.testing.PacketBuilder;
import io.headerlog.testing.RawEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The parser's unusual paths in a real kernel, with crafted frames from host A to B's veth end: VLAN
 * tags, IPv6 extension headers and their limit, fragments, truncated headers, snap length cuts and
 * frames that are not IP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaptureEdgeCasesIT {

    private static final int SNAP = 512;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private CaptureRig rig;
    private EventCollector events;

    @BeforeAll
    void start() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
        rig = CaptureRig.start(new CaptureConfig(SNAP, 1 << 22, 0));
        events = rig.events();
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private RawEvent sendAndCapture(byte[] frame, Predicate<RawEvent> ingressMatch) {
        return rig.sendAndCapture(frame, ingressMatch, WAIT);
    }

    private void assertEthernet(RawEvent e, int etherType) {
        rig.assertEthernetFromAToB(e, etherType);
    }

    @Test
    void shouldCaptureBothTagsOfADoubleTaggedFrame() {
        byte[] frame = rig.frame().vlan(ETH_P_8021AD, 100).vlan(ETH_P_8021Q, 200)
                .ipv4(rig.ea().ipv4(), rig.eb().ipv4()).udp(40006, 5556).payload(PacketBuilder.pattern(20, 1)).build();

        RawEvent e = sendAndCapture(frame, r -> r.sport() == 40006);

        assertEthernet(e, ETH_P_IP);
        assertThat(e.vlanCount()).isEqualTo(2);
        assertThat(e.vlanIds()).containsExactly(100, 200);
        // The receive path moves the outer tag into skb metadata before TC ingress (skb_vlan_untag),
        // so the frame the program reads is 4 bytes shorter than the one sent.
        assertThat(e.hasFlag(PF_VLAN_OFFLOADED)).isTrue();
        assertThat(e.pktLen()).isEqualTo(frame.length - 4);
        assertThat(e.payloadOff()).isEqualTo(14 + 4 + 20 + 8);
        assertThat(e.udpLen()).isEqualTo(28);
        assertThat(e.hasFlag(PF_L4_PARSED)).isTrue();
    }

    @Test
    void shouldCaptureASingle8021qTag() {
        byte[] frame = rig.frame().vlan(ETH_P_8021Q, 42).ipv6(rig.ea().ipv6(), rig.eb().ipv6()).udp(40016, 5556).build();

        RawEvent e = sendAndCapture(frame, r -> r.sport() == 40016);

        assertThat(e.vlanCount()).isEqualTo(1);
        assertThat(e.vlanIds()).containsExactly(42, 0);
        assertThat(e.ethType()).isEqualTo(ETH_P_IPV6);
        assertThat(e.parseFlags()).isEqualTo(PF_VLAN_OFFLOADED | PF_L4_PARSED);
        assertThat(e.payloadOff()).isEqualTo(14 + 40 + 8);
    }

    @Test
    void shouldWalkHopByHopAndFragmentHeadersToUdp() {
        byte[] payload = PacketBuilder.pattern(24, 9);
        byte[] frame = rig.frame().ipv6(rig.ea().ipv6(), rig.eb().ipv6()).hopByHop().ipv6Fragment(0xdeadbeefL, 0, false)
                .udp(40007, 5557).payload(payload).build();

        RawEvent e = sendAndCapture(frame, r -> r.sport() == 40007);

        assertThat(e.ipProto()).isEqualTo(IPPROTO_UDP);
        assertThat(e.ipId()).isEqualTo(0xdeadbeefL);
        assertThat(e.ipFragOff()).isZero();
        assertThat(e.ipFragFlags()).isZero();
        assertThat(e.ipTotalLen()).isEqualTo(40 + 8 + 8 + 8 + 24);
        assertThat(e.parseFlags()).isEqualTo(PF_L4_PARSED);
        assertThat(e.dport()).isEqualTo(5557);
        assertThat(e.udpLen()).isEqualTo(32);
        assertThat(e.payloadOff()).isEqualTo(14 + 40 + 8 + 8 + 8);
        assertThat(e.payload()).isEqualTo(payload);
    }

    @Test
    void shouldWalkFourDifferentExtensionHeaders() {
        byte[] frame = rig.frame().ipv6(rig.ea().ipv6(), rig.eb().ipv6()).hopByHop().destinationOptions().routingHeader()
                .ipv6Fragment(77, 0, true).tcp(40017, 80).seq(5).flags(TH_SYN).build();

        RawEvent e = sendAndCapture(frame, r -> r.sport() == 40017);

        assertThat(e.ipProto()).isEqualTo(IPPROTO_TCP);
        assertThat(e.ipId()).isEqualTo(77);
        assertThat(e.ipFragFlags()).isEqualTo(IP_MF);
        assertThat(e.parseFlags()).isEqualTo(PF_L4_PARSED);
        assertThat(e.tcpSeq()).isEqualTo(5);
        assertThat(e.payloadOff()).isEqualTo(14 + 40 + 4 * 8 + 20);
    }

    @Test
    void shouldStopAfterTheExtensionHeaderLimit() {
        io.headerlog.testing.PacketBuilder b = rig.frame().ipv6(rig.ea().ipv6(), rig.eb().ipv6()).hopByHop();
        for (int i = 0; i < HL_IPV6_MAX_EXT_HEADERS_FOR_TEST; i++) {
            b.destinationOptions();
        }
        byte[] frame = b.udp(40018, 5558).build();

        RawEvent e = sendAndCapture(frame, r -> r.ipVersion() == 6 && r.hasFlag(PF_IPV6_EXT_LIMIT));

        assertThat(e.ipProto()).as("the next header where the walk stopped").isEqualTo(IPPROTO_DSTOPTS);
        assertThat(e.hasFlag(PF_L4_PARSED)).isFalse();
        assertThat(e.sport()).isZero();
        assertThat(e.payloadOff()).isEqualTo(14 + 40 + HL_IPV6_MAX_EXT_HEADERS_FOR_TEST * 8);
    }

    /** capture.h's HL_IPV6_MAX_EXT_HEADERS: one header more than this is past the limit. */
    private static final int HL_IPV6_MAX_EXT_HEADERS_FOR_TEST = 6;

    @Test
    void shouldFlagANonFirstIpv6FragmentAndKeepItsDataAsPayload() {
        byte[] data = PacketBuilder.pattern(64, 21);
        byte[] frame = rig.frame().ipv6(rig.ea().ipv6(), rig.eb().ipv6()).ipv6Fragment(0x01020304L, 100, false)
                .rawL4(IPPROTO_UDP, data).build();

        RawEvent e = sendAndCapture(frame, r -> r.ipVersion() == 6 && r.ipId() == 0x01020304L);

        assertThat(e.parseFlags()).isEqualTo(PF_FRAGMENT);
        assertThat(e.ipFragOff()).isEqualTo(100);
        assertThat(e.ipFragFlags()).isZero();
        assertThat(e.ipProto()).isEqualTo(IPPROTO_UDP);
        assertThat(e.sport()).isZero();
        assertThat(e.l4HdrLen()).isZero();
        assertThat(e.payloadOff()).isEqualTo(14 + 40 + 8);
        assertThat(e.payloadLen()).isEqualTo(64);
        assertThat(e.payload()).isEqualTo(data);
    }

    @Test
    void shouldFlagANonFirstIpv4Fragment() {
        byte[] data = PacketBuilder.pattern(48, 33);
        byte[] frame = rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).ipId(0x2222).ipv4Fragment(50, true)
                .rawL4(IPPROTO_UDP, data).build();

        RawEvent e = sendAndCapture(frame, r -> r.ipVersion() == 4 && r.ipId() == 0x2222);

        assertThat(e.parseFlags()).isEqualTo(PF_FRAGMENT);
        assertThat(e.ipFragOff()).isEqualTo(50);
        assertThat(e.ipFragFlags()).isEqualTo(IP_MF);
        assertThat(e.ipProto()).isEqualTo(IPPROTO_UDP);
        assertThat(e.payloadOff()).isEqualTo(34);
        assertThat(e.payload()).isEqualTo(data);
    }

    @Test
    void shouldFlagATcpHeaderShorterThanTwentyBytes() {
        byte[] partial = PacketBuilder.pattern(12, 0);
        byte[] frame = rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).ipId(0x3333).rawL4(IPPROTO_TCP, partial).build();

        RawEvent e = sendAndCapture(frame, r -> r.ipVersion() == 4 && r.ipId() == 0x3333);

        assertThat(e.parseFlags()).isEqualTo(PF_TRUNCATED);
        assertThat(e.ipProto()).isEqualTo(IPPROTO_TCP);
        assertThat(e.sport()).isZero();
        assertThat(e.payloadOff()).isEqualTo(34);
        assertThat(e.payloadLen()).isEqualTo(12);
        assertThat(e.payload()).isEqualTo(partial);
    }

    @Test
    void shouldFlagAFrameCutShorterThanItsIpLength() {
        byte[] frame = rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).ipId(0x4444).tcp(40009, 80).flags(TH_SYN)
                .mss(1460).truncateTo(14 + 20 + 10).build();

        RawEvent e = sendAndCapture(frame, r -> r.ipVersion() == 4 && r.ipId() == 0x4444);

        assertThat(e.parseFlags()).isEqualTo(PF_TRUNCATED);
        assertThat(e.ipTotalLen()).as("what the header claims").isEqualTo(20 + 24);
        assertThat(e.pktLen()).isEqualTo(44);
        assertThat(e.payloadLen()).isEqualTo(10);
    }

    @Test
    void shouldCutAPayloadLongerThanTheSnapLength() {
        byte[] payload = PacketBuilder.pattern(1400, 77);
        byte[] frame = rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).udp(40010, 5559).payload(payload).build();

        RawEvent e = sendAndCapture(frame, r -> r.sport() == 40010);

        assertThat(e.parseFlags()).isEqualTo(PF_L4_PARSED | PF_SNAP_CUT);
        assertThat(e.payloadLen()).isEqualTo(1400);
        assertThat(e.snapLen()).isEqualTo(SNAP);
        assertThat(e.payload()).isEqualTo(Arrays.copyOf(payload, SNAP));
        assertThat(e.recordLength()).isEqualTo(SIZE + 512);
    }

    @Test
    void shouldRecordANonIpFrameWithItsBytesAfterTheEthernetHeader() {
        byte[] body = PacketBuilder.pattern(46, 99);
        byte[] frame = rig.frame().nonIp(0x88b5).payload(body).build();

        RawEvent e = sendAndCapture(frame, r -> r.ethType() == 0x88b5);

        assertThat(e.ipVersion()).isZero();
        assertThat(e.parseFlags()).isZero();
        assertThat(e.payloadOff()).isEqualTo(14);
        assertThat(e.payloadLen()).isEqualTo(46);
        assertThat(e.payload()).isEqualTo(body);
    }
}
