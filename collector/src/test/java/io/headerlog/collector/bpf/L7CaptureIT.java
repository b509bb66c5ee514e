package io.headerlog.collector.bpf;

import static io.headerlog.collector.bpf.EventLayout.*;
import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.CaptureRig;
import io.headerlog.testing.L7Payloads;
import io.headerlog.testing.PacketBuilder;
import io.headerlog.testing.RawEvent;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * L7 copying in a real kernel, with crafted frames from host A to B's veth end (MTU 9000, so payloads
 * of any size fit one frame): which packets start an application message, how many bytes they get,
 * and the follow-on byte budget per TCP stream (used up, expired, ended by RST or FIN, reset by a new
 * start, never shared with another stream). Default knobs: snap 512, L7 snap 4096, budget 16384.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class L7CaptureIT {

    private static final int SNAP = CaptureConfig.DEFAULT_SNAP_LEN;
    private static final int L7_SNAP = CaptureConfig.DEFAULT_L7_SNAP_LEN;
    private static final int BUDGET = CaptureConfig.DEFAULT_L7_FOLLOW_BYTES;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private CaptureRig rig;
    /** Every frame gets its own TCP sequence number (UDP: IP ID), so each record is found exactly. */
    private int nextMark = 1;

    @BeforeAll
    void start() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
        rig = CaptureRig.start(CaptureConfig.defaults().withRingBytes(1 << 22), 9000);
        rig.events();
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code prefix} followed by pattern bytes up to {@code length}. */
    private static byte[] payload(byte[] prefix, int length) {
        byte[] p = PacketBuilder.pattern(length, 3);
        System.arraycopy(prefix, 0, p, 0, prefix.length);
        return p;
    }

    /** A data segment A → B on the given ports; returns B's ingress record of it. */
    private RawEvent tcp(int sport, int dport, int flags, byte[] data) {
        return tcp(rig.ea().ipv4(), rig.eb().ipv4(), sport, dport, flags, data);
    }

    private RawEvent tcp(InetAddress src, InetAddress dst, int sport, int dport, int flags, byte[] data) {
        long mark = nextMark++;
        PacketBuilder b = rig.frame();
        b = src.getAddress().length == 4 ? b.ipv4(src, dst) : b.ipv6(src, dst);
        byte[] frame = b.tcp(sport, dport).seq(mark).ack(1).flags(flags).payload(data).build();
        return rig.sendAndCapture(frame, r -> r.sport() == sport && r.dport() == dport && r.tcpSeq() == mark, WAIT);
    }

    private RawEvent data(int sport, int dport, byte[] data) {
        return tcp(sport, dport, TH_PSH | TH_ACK, data);
    }

    private RawEvent udp(int sport, int dport, byte[] data) {
        int mark = nextMark++ & 0xffff;
        byte[] frame = rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).ipId(mark).udp(sport, dport).payload(data).build();
        return rig.sendAndCapture(frame, r -> r.sport() == sport && r.dport() == dport && r.ipId() == mark, WAIT);
    }

    private static void assertCopiedWhole(RawEvent e, byte[] sent) {
        assertThat(e.hasFlag(PF_L7)).as("L7 flag on %s", e).isTrue();
        assertThat(e.hasFlag(PF_SNAP_CUT)).as("cut: %s", e).isFalse();
        assertThat(e.payloadLen()).isEqualTo(sent.length);
        assertThat(e.snapLen()).isEqualTo(sent.length);
        assertThat(e.payload()).isEqualTo(sent);
    }

    /** Copied like any packet: snap_len bytes and no L7 flag. */
    private static void assertPlainSnap(RawEvent e, byte[] sent) {
        assertThat(e.hasFlag(PF_L7)).as("L7 flag on %s", e).isFalse();
        assertThat(e.payloadLen()).isEqualTo(sent.length);
        assertThat(e.snapLen()).isEqualTo(Math.min(sent.length, SNAP));
        assertThat(e.hasFlag(PF_SNAP_CUT)).isEqualTo(sent.length > SNAP);
        assertThat(e.payload()).isEqualTo(Arrays.copyOf(sent, e.snapLen()));
    }

    @Test
    void shouldCopyATlsClientHelloOfAFullSegmentWhole() {
        byte[] hello = L7Payloads.tlsClientHello("capture.headerlog.test", 1500);
        KernelCounters before = rig.settledCounters();

        RawEvent e = data(47001, 443, hello);

        assertCopiedWhole(e, hello);
        assertThat(e.recordLength()).as("2048-byte size class").isEqualTo(SIZE + 2048);
        KernelCounters d = rig.settledCounters().minus(before);
        assertThat(d.l7Start()).isEqualTo(1);
        assertThat(d.l7Follow()).isZero();
        assertThat(d.snapCut()).isZero();
    }

    @Test
    void shouldCopyAUdpDnsResponseWhole() throws Exception {
        // A response with many answers: header, question and A records are what the decoder reads.
        byte[] response = payload(new byte[] {0x12, 0x34, (byte) 0x81, (byte) 0x80, 0, 1, 0, 40, 0, 0, 0, 0}, 900);
        // A listener keeps B from answering with an ICMP error, whose quote would be cut (and counted).
        try (DatagramSocket resolverClient = rig.b().call(() -> new DatagramSocket(new InetSocketAddress(rig.eb().ipv4(), 47002)))) {
            assertThat(resolverClient.isBound()).isTrue();
            KernelCounters before = rig.settledCounters();

            RawEvent e = udp(53, 47002, response);

            assertCopiedWhole(e, response);
            KernelCounters d = rig.settledCounters().minus(before);
            assertThat(d.l7Start()).isEqualTo(1);
            assertThat(d.snapCut()).isZero();
        }
    }

    static Stream<Arguments> starts() {
        return Stream.of(
                Arguments.of("GET", "tcp", 80, ascii("GET / HTTP/1.1\r\n")),
                Arguments.of("POST", "tcp", 80, ascii("POST /form HTTP/1.1\r\n")),
                Arguments.of("PUT", "tcp", 80, ascii("PUT /x HTTP/1.1\r\n")),
                Arguments.of("HEAD", "tcp", 80, ascii("HEAD / HTTP/1.0\r\n")),
                Arguments.of("DELETE", "tcp", 80, ascii("DELETE /x HTTP/1.1\r\n")),
                Arguments.of("OPTIONS", "tcp", 80, ascii("OPTIONS * HTTP/1.1\r\n")),
                Arguments.of("PATCH", "tcp", 80, ascii("PATCH /x HTTP/1.1\r\n")),
                Arguments.of("CONNECT", "tcp", 80, ascii("CONNECT b.test:443 HTTP/1.1\r\n")),
                Arguments.of("TRACE", "tcp", 80, ascii("TRACE / HTTP/1.1\r\n")),
                Arguments.of("HTTP/1.1 status line", "tcp", 41000, ascii("HTTP/1.1 200 OK\r\n")),
                Arguments.of("HTTP/1.0 status line", "tcp", 41000, ascii("HTTP/1.0 404 Not Found\r\n")),
                Arguments.of("HTTP on an unusual port", "tcp", 9, ascii("GET /any-port HTTP/1.1\r\n")),
                Arguments.of("TLS ClientHello, record version 3.1", "tcp", 8443, L7Payloads.tlsClientHello("b.test", 1000)),
                Arguments.of("TLS ServerHello flight", "tcp", 41000, L7Payloads.tlsServerHelloFlight(1000)),
                Arguments.of("SSL 3.0 record version", "tcp", 443, new byte[] {0x16, 3, 0, 0, 0x50, 1}),
                Arguments.of("TLS record version 3.4", "tcp", 443, new byte[] {0x16, 3, 4, 0, 0x50, 2}),
                Arguments.of("DNS over TCP, any payload", "tcp", 53, new byte[] {0, 0x30}),
                Arguments.of("DNS over UDP", "udp", 53, new byte[] {1, 2}),
                Arguments.of("mDNS over UDP", "udp", 5353, new byte[] {0, 0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("starts")
    void shouldCopyAMessageStartWithTheL7SnapLength(String what, String proto, int dport, byte[] prefix) {
        byte[] sent = payload(prefix, 1000);
        int sport = 48000 + nextMark;

        RawEvent e = proto.equals("tcp") ? data(sport, dport, sent) : udp(sport, dport, sent);

        assertCopiedWhole(e, sent);
    }

    static Stream<Arguments> nonStarts() {
        return Stream.of(
                Arguments.of("lower-case method", "tcp", 80, ascii("get / HTTP/1.1\r\n")),
                Arguments.of("method without its space", "tcp", 80, ascii("GETX / HTTP/1.1\r\n")),
                Arguments.of("unknown method", "tcp", 80, ascii("BREW /pot HTTP/1.1\r\n")),
                Arguments.of("HTTP/2 connection preface", "tcp", 80, ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")),
                Arguments.of("HTTP/2 status-like text", "tcp", 80, ascii("HTTP/2 200\r\n")),
                Arguments.of("TLS record version 3.5", "tcp", 443, new byte[] {0x16, 3, 5, 0, 0x50, 1}),
                Arguments.of("TLS alert record", "tcp", 443, new byte[] {0x15, 3, 3, 0, 2, 1}),
                Arguments.of("TLS application data", "tcp", 443, new byte[] {0x17, 3, 3, 0, 0x50, 1}),
                Arguments.of("TLS Certificate message", "tcp", 443, new byte[] {0x16, 3, 3, 0, 0x50, 11}),
                Arguments.of("UDP next to the DNS port", "udp", 54, new byte[] {1, 2}),
                Arguments.of("UDP carrying HTTP-looking text", "udp", 80, ascii("GET / HTTP/1.1\r\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonStarts")
    void shouldCopyOtherPayloadsWithThePlainSnapLength(String what, String proto, int dport, byte[] prefix) {
        byte[] sent = payload(prefix, 1000);
        int sport = 49000 + nextMark;

        RawEvent e = proto.equals("tcp") ? data(sport, dport, sent) : udp(sport, dport, sent);

        assertPlainSnap(e, sent);
        assertThat(e.hasFlag(PF_SNAP_CUT)).isTrue();
    }

    @Test
    void shouldCopyTheSegmentsAfterAStartUntilTheBudgetIsUsedUp() {
        int sport = 47010;
        KernelCounters before = rig.settledCounters();
        RawEvent start = data(sport, 80, L7Payloads.httpHeaderBlock("GET /budget HTTP/1.1", 600));
        assertThat(start.hasFlag(PF_L7)).isTrue();

        int followed = 0;
        int sentAfterStart = 0;
        for (int i = 0; i < 20; i++) {
            byte[] segment = PacketBuilder.pattern(1000, i);
            RawEvent e = data(sport, 80, segment);
            // The budget is checked before a segment is charged: a segment that starts inside it
            // is copied whole, even when it ends beyond it.
            if (sentAfterStart < BUDGET) {
                assertCopiedWhole(e, segment);
                followed++;
            } else {
                assertPlainSnap(e, segment);
            }
            sentAfterStart += segment.length;
        }

        assertThat(followed).isEqualTo(17);
        KernelCounters d = rig.settledCounters().minus(before);
        assertThat(d.l7Start()).isEqualTo(1);
        assertThat(d.l7Follow()).isEqualTo(17);
        assertThat(d.snapCut()).as("the 3 segments beyond the budget").isEqualTo(3);
        assertThat(d.seen()).isEqualTo(d.submitted() + d.ringbufFull());
    }

    @Test
    void shouldCopyAtMostTheL7SnapLengthOfAFollowOnSegment() {
        int sport = 47011;
        data(sport, 80, ascii("GET /big HTTP/1.1\r\nHost: b\r\n"));
        byte[] segment = PacketBuilder.pattern(6000, 1);

        RawEvent e = data(sport, 80, segment);

        assertThat(e.hasFlag(PF_L7)).isTrue();
        assertThat(e.hasFlag(PF_SNAP_CUT)).isTrue();
        assertThat(e.snapLen()).isEqualTo(L7_SNAP);
        assertThat(e.payload()).isEqualTo(Arrays.copyOf(segment, L7_SNAP));
        assertThat(e.recordLength()).as("8192-byte size class").isEqualTo(SIZE + 8192);
    }

    @Test
    void shouldResetTheBudgetOnTheNextStartOfTheStream() {
        int sport = 47012;
        data(sport, 80, ascii("GET /1 HTTP/1.1\r\n"));
        for (int i = 0; i < 16; i++) {
            assertThat(data(sport, 80, PacketBuilder.pattern(1000, i)).hasFlag(PF_L7)).isTrue();
        }
        // 16000 of 16384 bytes used; a pipelined second request starts a fresh budget.
        assertThat(data(sport, 80, ascii("GET /2 HTTP/1.1\r\n")).hasFlag(PF_L7)).isTrue();
        for (int i = 0; i < 5; i++) {
            byte[] segment = PacketBuilder.pattern(1000, 50 + i);
            assertCopiedWhole(data(sport, 80, segment), segment);
        }
    }

    @Test
    void shouldFollowOnlyTheSameStreamInTheSameDirection() {
        int sport = 47013;
        data(sport, 80, ascii("POST /upload HTTP/1.1\r\n"));
        byte[] segment = PacketBuilder.pattern(1000, 7);

        RawEvent otherPort = data(sport + 1, 80, segment);
        // The reverse stream (B's answer to A) is another stream: it has its own start.
        RawEvent reverse = tcp(rig.eb().ipv4(), rig.ea().ipv4(), 80, sport, TH_PSH | TH_ACK, segment);
        RawEvent same = data(sport, 80, segment);

        assertPlainSnap(otherPort, segment);
        assertPlainSnap(reverse, segment);
        assertCopiedWhole(same, segment);
    }

    @Test
    void shouldFollowAnIpv6Stream() {
        int sport = 47014;
        tcp(rig.ea().ipv6(), rig.eb().ipv6(), sport, 80, TH_PSH | TH_ACK, ascii("GET /v6 HTTP/1.1\r\n"));
        byte[] segment = PacketBuilder.pattern(1200, 9);

        RawEvent e = tcp(rig.ea().ipv6(), rig.eb().ipv6(), sport, 80, TH_PSH | TH_ACK, segment);
        // Same ports and the IPv4 addresses of the same hosts: another stream.
        RawEvent v4 = data(sport, 80, segment);

        assertThat(e.ipVersion()).isEqualTo(6);
        assertCopiedWhole(e, segment);
        assertPlainSnap(v4, segment);
    }

    @Test
    void shouldEndTheBudgetAtAnRst() {
        int sport = 47015;
        data(sport, 80, ascii("GET /reset HTTP/1.1\r\n"));
        RawEvent rst = tcp(sport, 80, TH_RST | TH_ACK, new byte[0]);
        byte[] segment = PacketBuilder.pattern(1000, 11);

        RawEvent after = data(sport, 80, segment);

        assertThat(rst.hasFlag(PF_L7)).isFalse();
        assertPlainSnap(after, segment);
    }

    @Test
    void shouldEndTheBudgetAtAFinAfterCopyingItsData() {
        int sport = 47016;
        data(sport, 80, ascii("GET /fin HTTP/1.1\r\n"));
        byte[] last = PacketBuilder.pattern(900, 12);
        byte[] segment = PacketBuilder.pattern(1000, 13);

        RawEvent fin = tcp(sport, 80, TH_FIN | TH_PSH | TH_ACK, last);
        RawEvent after = data(sport, 80, segment);

        assertCopiedWhole(fin, last);
        assertPlainSnap(after, segment);
    }

    @Test
    void shouldEndTheBudgetTwoSecondsAfterTheStart() throws InterruptedException {
        int sport = 47017;
        data(sport, 80, ascii("GET /slow HTTP/1.1\r\n"));
        byte[] segment = PacketBuilder.pattern(1000, 14);
        assertCopiedWhole(data(sport, 80, segment), segment);

        Thread.sleep(2_200);
        RawEvent late = data(sport, 80, segment);

        assertPlainSnap(late, segment);
    }

    @Test
    void shouldFollowAStreamWhoseEarlierSegmentsStartedNoMessage() {
        int sport = 47018;
        byte[] bulk = PacketBuilder.pattern(1000, 16);
        // No start has raised the stream's hl_l7_hint entry, so these skip the budget lookup...
        assertPlainSnap(data(sport, 80, bulk), bulk);
        assertPlainSnap(data(sport, 80, bulk), bulk);
        // ...until a start opens one.
        data(sport, 80, ascii("GET /later HTTP/1.1\r\n"));
        byte[] segment = PacketBuilder.pattern(1000, 17);

        assertCopiedWhole(data(sport, 80, segment), segment);
    }

    @Test
    void shouldKeepFollowingAStreamWhenTheFlowTablesAreSwapped() {
        int sport = 47019;
        data(sport, 80, ascii("GET /swap HTTP/1.1\r\n"));
        byte[] segment = PacketBuilder.pattern(1000, 18);
        assertCopiedWhole(data(sport, 80, segment), segment);

        // The collector's flow export swaps the kernel tables and slot halves: the next segment creates a new
        // flow entry, and the budget must not depend on it.
        rig.program().flows().collect(System.nanoTime(), Duration.ofHours(1), Duration.ofHours(1));
        RawEvent afterSwap = data(sport, 80, segment);
        rig.program().flows().collect(System.nanoTime(), Duration.ofHours(1), Duration.ofHours(1));
        RawEvent afterSecondSwap = data(sport, 80, segment);

        assertCopiedWhole(afterSwap, segment);
        assertCopiedWhole(afterSecondSwap, segment);
    }

    @Test
    void shouldFollowAStreamWhenFlowCountingIsOff() {
        try (CaptureRig noFlows = CaptureRig.start(CaptureConfig.defaults().withRingBytes(1 << 20).withFlowEntries(0), 9000)) {
            byte[] request = ascii("GET /noflows HTTP/1.1\r\n");
            byte[] segment = PacketBuilder.pattern(1000, 19);
            byte[] f1 = noFlows.frame().ipv4(noFlows.ea().ipv4(), noFlows.eb().ipv4()).tcp(47021, 80).seq(1)
                    .flags(TH_PSH | TH_ACK).payload(request).build();
            byte[] f2 = noFlows.frame().ipv4(noFlows.ea().ipv4(), noFlows.eb().ipv4()).tcp(47021, 80).seq(2)
                    .flags(TH_PSH | TH_ACK).payload(segment).build();

            noFlows.sendAndCapture(f1, r -> r.sport() == 47021 && r.tcpSeq() == 1, WAIT);
            RawEvent next = noFlows.sendAndCapture(f2, r -> r.sport() == 47021 && r.tcpSeq() == 2, WAIT);

            assertCopiedWhole(next, segment);
        }
    }

    @Test
    void shouldCopyL7PacketsLikeOthersWhenTheL7KnobsAreOff() {
        try (CaptureRig off = CaptureRig.start(new CaptureConfig(SNAP, 1 << 20, 0, 0, 0), 9000)) {
            byte[] request = L7Payloads.httpHeaderBlock("GET /off HTTP/1.1", 1000);
            byte[] segment = PacketBuilder.pattern(1000, 15);
            byte[] f1 = off.frame().ipv4(off.ea().ipv4(), off.eb().ipv4()).tcp(47020, 80).seq(1).flags(TH_PSH | TH_ACK)
                    .payload(request).build();
            byte[] f2 = off.frame().ipv4(off.ea().ipv4(), off.eb().ipv4()).tcp(47020, 80).seq(2).flags(TH_PSH | TH_ACK)
                    .payload(segment).build();
            KernelCounters before = off.settledCounters();

            RawEvent start = off.sendAndCapture(f1, r -> r.sport() == 47020 && r.tcpSeq() == 1, WAIT);
            RawEvent next = off.sendAndCapture(f2, r -> r.sport() == 47020 && r.tcpSeq() == 2, WAIT);

            // Still recognised (the flag and the counter tell the collector), but copied with snap_len.
            assertThat(start.hasFlag(PF_L7)).isTrue();
            assertThat(start.snapLen()).isEqualTo(SNAP);
            assertThat(start.hasFlag(PF_SNAP_CUT)).isTrue();
            assertPlainSnap(next, segment);
            KernelCounters d = off.settledCounters().minus(before);
            assertThat(d.l7Start()).isEqualTo(1);
            assertThat(d.l7Follow()).isZero();
        }
    }
}
