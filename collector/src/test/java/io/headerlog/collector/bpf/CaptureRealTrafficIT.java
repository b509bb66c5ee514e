package io.headerlog.collector.bpf;

import static io.headerlog.collector.bpf.EventLayout.*;
import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.CaptureRig;
import io.headerlog.testing.EventCollector;
import io.headerlog.testing.ExecResult;
import io.headerlog.testing.RawEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The capture program on real traffic of the kernel's own stack between two namespaces: a TCP
 * connection, UDP datagrams and ping, all seen on B's veth end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaptureRealTrafficIT {

    private static final int SNAP = 512;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A's default TTL is set to this, so the SYN's TTL proves which host sent it. */
    private static final int A_TTL = 77;

    private CaptureRig rig;
    private EventCollector events;

    @BeforeAll
    void start() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
        // L7 copying off: these tests check the plain snap length on every segment, also on the bulk
        // that follows the GET (L7CaptureIT and L7RealTrafficIT test L7 copying).
        rig = CaptureRig.start(new CaptureConfig(SNAP, 1 << 23, 1 << 20, 0, 0));
        rig.a().sysctl("net.ipv4.ip_default_ttl", Integer.toString(A_TTL));
        events = rig.events();
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private static long seqDiff(long later, long earlier) {
        return (later - earlier) & 0xffffffffL;
    }

    @Test
    void shouldCaptureATcpConnectionWithHandshakeOptionsAndPayload() throws Exception {
        int serverPort = 8080;
        int clientPort = 45678;
        byte[] greeting = "GET /headerlog HTTP/1.1\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bulk = new byte[256 * 1024];
        for (int i = 0; i < bulk.length; i++) {
            bulk[i] = (byte) (i % 251);
        }
        byte[] reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        ServerSocket server = rig.b().call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(rig.eb().ipv4(), serverPort));
            return s;
        });
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        Thread acceptor = new Thread(() -> {
            try (server; Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                got.writeBytes(in.readNBytes(greeting.length));
                s.getOutputStream().write(reply);
                got.writeBytes(in.readAllBytes());
                received.complete(got.toByteArray());
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        }, "tcp-server");
        acceptor.start();
        try (Socket client = rig.a().call(() -> {
            Socket c = new Socket();
            c.bind(new InetSocketAddress(rig.ea().ipv4(), clientPort));
            c.connect(new InetSocketAddress(rig.eb().ipv4(), serverPort), 5000);
            return c;
        })) {
            OutputStream out = client.getOutputStream();
            out.write(greeting);
            out.flush();
            assertThat(client.getInputStream().readNBytes(reply.length)).isEqualTo(reply);
            out.write(bulk);
            client.shutdownOutput();
        }
        byte[] all = received.get(30, TimeUnit.SECONDS);
        assertThat(all).hasSize(greeting.length + bulk.length);

        RawEvent syn = events.awaitOne(e -> e.ingress() && e.sport() == clientPort && e.tcpFlags() == TH_SYN, WAIT);
        assertThat(syn.dport()).isEqualTo(serverPort);
        assertThat(syn.ipTtl()).isEqualTo(A_TTL);
        assertThat(syn.ipFragFlags()).isEqualTo(IP_DF);
        assertThat(syn.tcpOpts()).isEqualTo(TCPOPT_MSS | TCPOPT_WSCALE | TCPOPT_SACK_PERM | TCPOPT_TS);
        assertThat(syn.tcpMss()).as("MSS for a 1500-byte MTU").isEqualTo(1460);
        assertThat(syn.tcpTsVal()).isNotZero();
        assertThat(syn.payloadLen()).isZero();

        RawEvent synAck = events.awaitOne(e -> e.egress() && e.dport() == clientPort && e.tcpFlags() == (TH_SYN | TH_ACK), WAIT);
        assertThat(synAck.sport()).isEqualTo(serverPort);
        assertThat(synAck.tcpAck()).isEqualTo((syn.tcpSeq() + 1) & 0xffffffffL);
        assertThat(synAck.tcpTsEcr()).as("echoes the SYN's timestamp").isEqualTo(syn.tcpTsVal());
        assertThat(synAck.ipTtl()).isEqualTo(64);
        assertThat(synAck.hasFlag(PF_L4_PARSED)).isTrue();

        RawEvent handshakeAck = events.awaitOne(e -> e.ingress() && e.sport() == clientPort && e.tcpFlags() == TH_ACK
                && e.tcpSeq() == ((syn.tcpSeq() + 1) & 0xffffffffL) && e.payloadLen() == 0, WAIT);
        assertThat(handshakeAck.tcpAck()).isEqualTo((synAck.tcpSeq() + 1) & 0xffffffffL);

        RawEvent first = events.awaitOne(e -> e.ingress() && e.sport() == clientPort && e.payloadLen() > 0, WAIT);
        assertThat(first.tcpSeq()).isEqualTo((syn.tcpSeq() + 1) & 0xffffffffL);
        assertThat(first.tcpFlags()).isEqualTo(TH_PSH | TH_ACK);
        assertThat(first.payloadLen()).isEqualTo(greeting.length);
        assertThat(first.payload()).isEqualTo(greeting);
        assertThat(first.payloadOff()).isEqualTo(14 + 20 + first.l4HdrLen());
        assertThat(first.l4HdrLen()).as("20 bytes + timestamps").isEqualTo(32);

        RawEvent answer = events.awaitOne(e -> e.egress() && e.dport() == clientPort && e.payloadLen() > 0, WAIT);
        assertThat(answer.payload()).isEqualTo(reply);

        // Every byte sent shows up in the sequence space covered by the ingress records, and each
        // record's prefix is the stream's bytes at that sequence number.
        byte[] stream = all;
        List<RawEvent> data = events.await(e -> e.ingress() && e.sport() == clientPort && e.payloadLen() > 0
                && seqDiff(e.tcpSeq(), syn.tcpSeq() + 1) + e.payloadLen() == stream.length, 1, WAIT);
        assertThat(data).isNotEmpty();
        List<RawEvent> segments = events.matching(e -> e.ingress() && e.sport() == clientPort && e.payloadLen() > 0);
        long covered = segments.stream().mapToLong(e -> seqDiff(e.tcpSeq(), syn.tcpSeq() + 1) + e.payloadLen()).max().orElse(0);
        assertThat(covered).isEqualTo(stream.length);
        for (RawEvent s : segments) {
            int at = (int) seqDiff(s.tcpSeq(), syn.tcpSeq() + 1);
            assertThat(s.payload()).as("prefix of the segment at stream offset %d", at)
                    .isEqualTo(Arrays.copyOfRange(stream, at, at + s.snapLen()));
            assertThat(s.snapLen()).isEqualTo(Math.min(SNAP, s.payloadLen()));
            assertThat(s.hasFlag(PF_SNAP_CUT)).isEqualTo(s.payloadLen() > SNAP);
        }
        RawEvent biggest = segments.stream().max(Comparator.comparingInt(RawEvent::pktLen)).orElseThrow();
        System.out.printf("tcp: %d ingress data records for %d bytes; largest skb %d bytes, gso_segs %d%n",
                segments.size(), stream.length, biggest.pktLen(), biggest.gsoSegs());
        assertThat(biggest.pktLen()).isEqualTo(14 + 20 + biggest.l4HdrLen() + biggest.payloadLen());

        RawEvent fin = events.awaitOne(e -> e.ingress() && e.sport() == clientPort && (e.tcpFlags() & TH_FIN) != 0, WAIT);
        assertThat(seqDiff(fin.tcpSeq(), syn.tcpSeq() + 1) + fin.payloadLen()).isEqualTo(stream.length);
    }

    @Test
    void shouldCaptureUdpDatagramsOfTheKernelStack() throws Exception {
        int[] sizes = {1, 300, 1200};
        try (DatagramSocket receiver = rig.b().call(() -> new DatagramSocket(new InetSocketAddress(rig.eb().ipv4(), 41001)));
             DatagramSocket sender = rig.a().call(() -> new DatagramSocket(new InetSocketAddress(rig.ea().ipv4(), 41000)))) {
            receiver.setSoTimeout(5000);
            for (int size : sizes) {
                byte[] d = new byte[size];
                Arrays.fill(d, (byte) size);
                sender.send(new DatagramPacket(d, d.length, new InetSocketAddress(rig.eb().ipv4(), 41001)));
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                receiver.receive(p);
                assertThat(p.getLength()).isEqualTo(size);
            }
        }
        List<RawEvent> got = events.await(e -> e.ingress() && e.sport() == 41000 && e.dport() == 41001, sizes.length, WAIT);
        for (int i = 0; i < sizes.length; i++) {
            RawEvent e = got.get(i);
            byte[] expected = new byte[Math.min(sizes[i], SNAP)];
            Arrays.fill(expected, (byte) sizes[i]);
            assertThat(e.udpLen()).isEqualTo(8 + sizes[i]);
            assertThat(e.payloadLen()).isEqualTo(sizes[i]);
            assertThat(e.payload()).isEqualTo(expected);
            assertThat(e.ipTtl()).isEqualTo(A_TTL);
            assertThat(e.ipTotalLen()).isEqualTo(20 + 8 + sizes[i]);
            assertThat(e.pktLen()).isEqualTo(14 + 20 + 8 + sizes[i]);
        }
    }

    @Test
    void shouldCapturePingWithItsTtlAndTheReplies() {
        ExecResult ping = rig.a().exec(Duration.ofSeconds(20), "ping", "-c", "2", "-i", "0.2", "-W", "2", "-t", "33",
                rig.eb().ipv4().getHostAddress());
        assertThat(ping.ok()).as(ping.describe()).isTrue();

        List<RawEvent> requests = events.await(e -> e.ingress() && e.ipProto() == IPPROTO_ICMP && e.icmpType() == 8
                && e.ipTtl() == 33, 2, WAIT);
        assertThat(requests).extracting(RawEvent::icmpSeq).containsExactly(1, 2);
        int id = requests.get(0).icmpId();
        assertThat(requests.get(1).icmpId()).isEqualTo(id);
        for (RawEvent request : requests) {
            RawEvent reply = events.awaitOne(e -> e.egress() && e.ipProto() == IPPROTO_ICMP && e.icmpType() == 0
                    && e.icmpId() == id && e.icmpSeq() == request.icmpSeq(), WAIT);
            assertThat(reply.payload()).isEqualTo(request.payload()).hasSize(56);
            assertThat(reply.ipTtl()).isEqualTo(64);
        }
    }

    @Test
    void shouldCapturePing6WithItsHopLimitAndTheReplies() {
        ExecResult ping = rig.a().exec(Duration.ofSeconds(20), "ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", "-t", "44",
                rig.eb().ipv6().getHostAddress());
        assertThat(ping.ok()).as(ping.describe()).isTrue();

        List<RawEvent> requests = events.await(e -> e.ingress() && e.ipProto() == IPPROTO_ICMPV6 && e.icmpType() == 128
                && e.ipTtl() == 44, 2, WAIT);
        assertThat(requests).extracting(RawEvent::icmpSeq).containsExactly(1, 2);
        for (RawEvent request : requests) {
            RawEvent reply = events.awaitOne(e -> e.egress() && e.ipProto() == IPPROTO_ICMPV6 && e.icmpType() == 129
                    && e.icmpId() == request.icmpId() && e.icmpSeq() == request.icmpSeq(), WAIT);
            assertThat(reply.payload()).isEqualTo(request.payload()).hasSize(56);
            assertThat(reply.ipSrc()).isEqualTo(rig.eb().ipv6().getAddress());
        }
    }
}
