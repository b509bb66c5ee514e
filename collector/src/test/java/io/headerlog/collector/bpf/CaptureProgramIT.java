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
 * The capture program in a real kernel, fed crafted frames: host A injects exact frames through a
 * packet socket, the program runs on B's veth end, and every field of the record is checked against
 * what was sent. B's own answers (RST, echo replies, ICMP errors) are checked on egress, which also
 * proves the crafted frames were valid enough for B's stack to accept. The unusual frames (VLAN tags,
 * extension headers, fragments, truncation) are in {@link CaptureEdgeCasesIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaptureProgramIT {

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
        assertThat(e.gsoSegs()).as("an injected frame is not a GSO packet").isLessThanOrEqualTo(1);
        assertThat(e.monoNs()).isPositive();
    }

    private static byte[] v4(byte[] raw16) {
        return Arrays.copyOf(raw16, 4);
    }

    @Test
    void shouldCaptureEveryFieldOfAnIpv4TcpSyn() {
        int flags = TH_SYN | TH_ECE | TH_CWR | TH_AE;
        byte[] frame = rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).ttl(61).tos(0xb9).ipId(0x4a11).dontFragment(true)
                .tcp(40001, 9).seq(0x11223344L).ack(0).flags(flags).window(64240)
                .mss(1460).sackPermitted().timestamps(0xa1b2c3d4L, 0).nop().windowScale(7).build();

        RawEvent e = sendAndCapture(frame, r -> r.sport() == 40001);

        assertEthernet(e, ETH_P_IP);
        assertThat(e.direction()).isEqualTo(DIR_INGRESS);
        assertThat(e.pktLen()).isEqualTo(frame.length);
        assertThat(e.vlanCount()).isZero();
        assertThat(e.ipVersion()).isEqualTo(4);
        assertThat(e.ipProto()).isEqualTo(IPPROTO_TCP);
        assertThat(e.ipTtl()).isEqualTo(61);
        assertThat(e.ipTos()).isEqualTo(0xb9);
        assertThat(e.ipId()).isEqualTo(0x4a11);
        assertThat(e.ipFragFlags()).isEqualTo(IP_DF);
        assertThat(e.ipFragOff()).isZero();
        assertThat(e.ipFlowLabel()).isZero();
        assertThat(e.ipTotalLen()).isEqualTo(20 + 40);
        assertThat(v4(e.ipSrc())).isEqualTo(rig.ea().ipv4().getAddress());
        assertThat(v4(e.ipDst())).isEqualTo(rig.eb().ipv4().getAddress());
        assertThat(e.sport()).isEqualTo(40001);
        assertThat(e.dport()).isEqualTo(9);
        assertThat(e.tcpSeq()).isEqualTo(0x11223344L);
        assertThat(e.tcpAck()).isZero();
        assertThat(e.tcpFlags()).isEqualTo(flags);
        assertThat(e.tcpWindow()).isEqualTo(64240);
        assertThat(e.l4HdrLen()).isEqualTo(40);
        assertThat(e.tcpOpts()).isEqualTo(TCPOPT_MSS | TCPOPT_SACK_PERM | TCPOPT_TS | TCPOPT_WSCALE);
        assertThat(e.tcpMss()).isEqualTo(1460);
        assertThat(e.tcpWscale()).isEqualTo(7);
        assertThat(e.tcpTsVal()).isEqualTo(0xa1b2c3d4L);
        assertThat(e.tcpTsEcr()).isZero();
        assertThat(e.parseFlags()).isEqualTo(PF_L4_PARSED);
        assertThat(e.payloadOff()).isEqualTo(14 + 20 + 40);
        assertThat(e.payloadLen()).isZero();
        assertThat(e.snapLen()).isZero();
        assertThat(e.recordLength()).isEqualTo(SIZE);

        // Port 9 is closed on B: its stack answers with RST|ACK acknowledging the SYN.
        RawEvent rst = events.awaitOne(r -> r.egress() && r.dport() == 40001 && r.ipVersion() == 4, WAIT);
        assertThat(rst.tcpFlags()).isEqualTo(TH_RST | TH_ACK);
        assertThat(rst.tcpAck()).isEqualTo(0x11223345L);
        assertThat(rst.sport()).isEqualTo(9);
        assertThat(v4(rst.ipSrc())).isEqualTo(rig.eb().ipv4().getAddress());
        assertThat(rst.ethSrc()).isEqualTo(rig.eb().macBytes());
        assertThat(rst.monoNs()).isGreaterThan(e.monoNs());
    }

    @Test
    void shouldCaptureEveryFieldOfAnIpv6TcpSyn() {
        byte[] frame = rig.frame().ipv6(rig.ea().ipv6(), rig.eb().ipv6()).ttl(33).tos(0x28).flowLabel(0xabcde)
                .tcp(40002, 9).seq(0xfffffff0L).flags(TH_SYN).window(1024)
                .mss(1440).nop().windowScale(14).sackPermitted().timestamps(1, 0xfedcba98L).build();

        RawEvent e = sendAndCapture(frame, r -> r.sport() == 40002);

        assertEthernet(e, ETH_P_IPV6);
        assertThat(e.pktLen()).isEqualTo(frame.length);
        assertThat(e.ipVersion()).isEqualTo(6);
        assertThat(e.ipProto()).isEqualTo(IPPROTO_TCP);
        assertThat(e.ipTtl()).isEqualTo(33);
        assertThat(e.ipTos()).isEqualTo(0x28);
        assertThat(e.ipFlowLabel()).isEqualTo(0xabcde);
        assertThat(e.ipId()).isZero();
        assertThat(e.ipFragFlags()).isZero();
        assertThat(e.ipTotalLen()).isEqualTo(40 + 40);
        assertThat(e.ipSrc()).isEqualTo(rig.ea().ipv6().getAddress());
        assertThat(e.ipDst()).isEqualTo(rig.eb().ipv6().getAddress());
        assertThat(e.sport()).isEqualTo(40002);
        assertThat(e.dport()).isEqualTo(9);
        assertThat(e.tcpSeq()).isEqualTo(0xfffffff0L);
        assertThat(e.tcpFlags()).isEqualTo(TH_SYN);
        assertThat(e.tcpWindow()).isEqualTo(1024);
        assertThat(e.l4HdrLen()).isEqualTo(40);
        assertThat(e.tcpOpts()).isEqualTo(TCPOPT_MSS | TCPOPT_SACK_PERM | TCPOPT_TS | TCPOPT_WSCALE);
        assertThat(e.tcpMss()).isEqualTo(1440);
        assertThat(e.tcpWscale()).isEqualTo(14);
        assertThat(e.tcpTsVal()).isEqualTo(1);
        assertThat(e.tcpTsEcr()).isEqualTo(0xfedcba98L);
        assertThat(e.parseFlags()).isEqualTo(PF_L4_PARSED);
        assertThat(e.payloadOff()).isEqualTo(14 + 40 + 40);
        assertThat(e.payloadLen()).isZero();

        RawEvent rst = events.awaitOne(r -> r.egress() && r.dport() == 40002 && r.ipVersion() == 6, WAIT);
        assertThat(rst.tcpFlags()).isEqualTo(TH_RST | TH_ACK);
        assertThat(rst.tcpAck()).as("seq + 1 wraps around 2^32").isEqualTo(0xfffffff1L);
    }

    @Test
    void shouldCaptureUdpWithItsPayloadAndTheIcmpErrorItCauses() {
        byte[] payload = PacketBuilder.pattern(100, 3);
        byte[] frame = rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).ipId(0x1234).udp(40003, 5555).payload(payload).build();

        RawEvent e = sendAndCapture(frame, r -> r.sport() == 40003);

        assertEthernet(e, ETH_P_IP);
        assertThat(e.ipProto()).isEqualTo(IPPROTO_UDP);
        assertThat(e.ipFragFlags()).isZero();
        assertThat(e.ipTotalLen()).isEqualTo(20 + 8 + 100);
        assertThat(e.dport()).isEqualTo(5555);
        assertThat(e.udpLen()).isEqualTo(108);
        assertThat(e.l4HdrLen()).isEqualTo(8);
        assertThat(e.parseFlags()).isEqualTo(PF_L4_PARSED);
        assertThat(e.payloadOff()).isEqualTo(42);
        assertThat(e.payloadLen()).isEqualTo(100);
        assertThat(e.snapLen()).isEqualTo(100);
        assertThat(e.payload()).isEqualTo(payload);
        assertThat(e.recordLength()).as("100 bytes go into the 128-byte size class").isEqualTo(SIZE + 128);

        // Port 5555 is closed: B answers "port unreachable", quoting our IP header (ID 0x1234).
        RawEvent icmp = events.awaitOne(r -> r.egress() && r.ipProto() == IPPROTO_ICMP && r.icmpType() == 3
                && r.payload().length >= 28 && (r.payload()[4] & 0xff) == 0x12 && (r.payload()[5] & 0xff) == 0x34, WAIT);
        assertThat(icmp.icmpCode()).isEqualTo(3);
        assertThat(icmp.payloadOff()).isEqualTo(14 + 20 + 8);
        assertThat(icmp.payload()[0]).as("the quoted packet starts with an IPv4 header").isEqualTo((byte) 0x45);
    }

    @Test
    void shouldCaptureIcmpEchoAndTheReplyOfTheKernel() {
        byte[] data = PacketBuilder.pattern(56, 11);
        byte[] frame = rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).ttl(50).echoRequest(0x7777, 3).payload(data).build();

        RawEvent e = sendAndCapture(frame, r -> r.ipProto() == IPPROTO_ICMP && r.icmpId() == 0x7777);

        assertEthernet(e, ETH_P_IP);
        assertThat(e.icmpType()).isEqualTo(8);
        assertThat(e.icmpCode()).isZero();
        assertThat(e.icmpSeq()).isEqualTo(3);
        assertThat(e.ipTtl()).isEqualTo(50);
        assertThat(e.l4HdrLen()).isEqualTo(8);
        assertThat(e.parseFlags()).isEqualTo(PF_L4_PARSED);
        assertThat(e.sport()).isZero();
        assertThat(e.payloadOff()).isEqualTo(42);
        assertThat(e.payload()).isEqualTo(data);

        RawEvent reply = events.awaitOne(r -> r.egress() && r.ipProto() == IPPROTO_ICMP && r.icmpId() == 0x7777, WAIT);
        assertThat(reply.icmpType()).isZero();
        assertThat(reply.icmpSeq()).isEqualTo(3);
        assertThat(reply.payload()).isEqualTo(data);
        assertThat(v4(reply.ipDst())).isEqualTo(rig.ea().ipv4().getAddress());
        assertThat(reply.ipTtl()).as("B's default TTL").isEqualTo(64);
    }

    @Test
    void shouldCaptureIcmpv6EchoAndTheReplyOfTheKernel() {
        byte[] data = PacketBuilder.pattern(32, 5);
        byte[] frame = rig.frame().ipv6(rig.ea().ipv6(), rig.eb().ipv6()).ttl(77).echoRequest(0x6666, 4).payload(data).build();

        RawEvent e = sendAndCapture(frame, r -> r.ipProto() == IPPROTO_ICMPV6 && r.icmpId() == 0x6666);

        assertEthernet(e, ETH_P_IPV6);
        assertThat(e.icmpType()).isEqualTo(128);
        assertThat(e.icmpSeq()).isEqualTo(4);
        assertThat(e.ipTtl()).isEqualTo(77);
        assertThat(e.parseFlags()).isEqualTo(PF_L4_PARSED);
        assertThat(e.payloadOff()).isEqualTo(14 + 40 + 8);
        assertThat(e.payload()).isEqualTo(data);

        RawEvent reply = events.awaitOne(r -> r.egress() && r.ipProto() == IPPROTO_ICMPV6 && r.icmpId() == 0x6666, WAIT);
        assertThat(reply.icmpType()).isEqualTo(129);
        assertThat(reply.icmpSeq()).isEqualTo(4);
        assertThat(reply.payload()).isEqualTo(data);
        assertThat(reply.ipDst()).isEqualTo(rig.ea().ipv6().getAddress());
    }
}
