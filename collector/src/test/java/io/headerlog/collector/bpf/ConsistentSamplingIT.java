package io.headerlog.collector.bpf;

import static io.headerlog.collector.bpf.EventLayout.*;
import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.decode.PacketHash;
import io.headerlog.testing.CaptureRig;
import io.headerlog.testing.PacketBuilder;
import io.headerlog.testing.QuietRig;
import io.headerlog.testing.RawEvent;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consistent sampling in a real kernel: the label the program computes equals {@link PacketHash} over
 * the fields each frame was built from and over the record's own fields; the records kept at a rate
 * are exactly the packets whose label selects them; TCP control and L7 packets are kept regardless
 * when configured so. Frames travel on a {@link QuietRig}, so every counter is exact.
 */
class ConsistentSamplingIT {

    private static final int PACKETS = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void requireRoot() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
    }

    private static CaptureConfig config(int rate, boolean keep) {
        return new CaptureConfig(64, 1 << 24, 0).withSampleRate(rate).withKeep(keep, keep);
    }

    /** Label → how many frames carry it (distinct frames may, rarely, share a label). */
    private static Map<Long, Long> multiset(List<Long> labels) {
        return labels.stream().collect(Collectors.groupingBy(Function.identity(), HashMap::new, Collectors.counting()));
    }

    private static List<HashedFrames.Frame> frames(QuietRig rig, long seed) {
        return new HashedFrames(seed, rig::frame).next(PACKETS);
    }

    @Test
    void shouldLabelEveryPacketAsPacketHashDoesFromTheFieldsItWasBuiltFrom() {
        try (QuietRig rig = QuietRig.start(config(1, false))) {
            List<HashedFrames.Frame> frames = frames(rig, 4711);
            rig.events();
            KernelCounters before = rig.settledCounters();
            frames.forEach(f -> rig.send(f.bytes()));
            List<RawEvent> records = rig.events().await(e -> true, PACKETS, WAIT);
            KernelCounters d = rig.settledCounters().minus(before);

            assertThat(d.seen()).isEqualTo(PACKETS);
            assertThat(d.submitted()).isEqualTo(PACKETS);
            assertThat(records).hasSize(PACKETS);
            for (RawEvent e : records) {
                ByteBuffer raw = ByteBuffer.wrap(e.raw());
                assertThat(PacketHash.ofRecord(raw, 0, e.raw().length)).as("Java hash of the record %s", e)
                        .isEqualTo(e.packetHash());
                assertThat(e.sampleRate()).isEqualTo(1);
                assertThat(e.keepReason()).isEqualTo(KEEP_SAMPLED);
            }
            Map<Long, Long> expected = multiset(frames.stream().map(HashedFrames.Frame::hash).toList());
            Map<Long, Long> kernel = multiset(records.stream().map(RawEvent::packetHash).toList());
            assertThat(kernel).as("kernel labels vs labels computed from the frames' fields").isEqualTo(expected);
            // Every kind of frame was in the mix.
            assertThat(frames.stream().map(HashedFrames.Frame::kind).distinct())
                    .contains("tcp", "udp", "icmp-echo", "icmp-error", "fragment", "first-fragment", "gre");
            assertThat(records.stream().filter(e -> e.payloadLen() > 0 && e.payloadLen() < 8)).hasSizeGreaterThan(500);
            assertThat(records.stream().filter(e -> e.ipVersion() == 6)).hasSizeBetween(PACKETS / 3, 2 * PACKETS / 3);
        }
    }

    @Test
    void shouldGiveTheTestVectorOfCaptureHItsDocumentedLabel() {
        try (QuietRig rig = QuietRig.start(config(1, false))) {
            rig.send(tcp(rig, 40000, 80, TH_SYN, new byte[0]).ipId(1).seq(1).build());
            RawEvent e = rig.events().awaitOne(x -> true, WAIT);

            assertThat(e.packetHash()).isEqualTo(0x5224d089a5ae55f0L);
        }
    }

    @Test
    void shouldKeepExactlyThePacketsWhoseLabelSelectsThemAtRateN() {
        int rate = 16;
        try (QuietRig rig = QuietRig.start(config(rate, false))) {
            List<HashedFrames.Frame> frames = frames(rig, 815);
            rig.events();
            KernelCounters before = rig.settledCounters();
            frames.forEach(f -> rig.send(f.bytes()));
            List<Long> selected = frames.stream().map(HashedFrames.Frame::hash).filter(h -> PacketHash.keep(h, rate)).toList();
            List<RawEvent> records = rig.events().await(e -> true, selected.size(), WAIT);
            KernelCounters d = rig.settledCounters().minus(before);

            assertThat(multiset(records.stream().map(RawEvent::packetHash).toList())).isEqualTo(multiset(selected));
            assertThat(records).allSatisfy(e -> {
                assertThat(e.sampleRate()).isEqualTo(rate);
                assertThat(e.keepReason()).isEqualTo(KEEP_SAMPLED);
            });
            assertThat(d.seen()).isEqualTo(PACKETS);
            assertThat(d.submitted()).isEqualTo(selected.size());
            assertThat(d.sampledOut()).isEqualTo(PACKETS - selected.size());
            assertThat(d.filtered()).isZero();
            assertThat(d.unaccounted()).isZero();
            // Binomial(10^4, 1/16): mean 625, standard deviation 24.2; five of them either way.
            double mean = (double) PACKETS / rate;
            double sd = Math.sqrt(PACKETS * (1.0 / rate) * (1 - 1.0 / rate));
            assertThat((double) selected.size()).isBetween(mean - 5 * sd, mean + 5 * sd);
        }
    }

    @Test
    void shouldKeepTcpControlAndL7PacketsRegardlessOfTheirLabelWhenAsked() {
        int rate = SAMPLE_RATE_MAX;
        try (QuietRig rig = QuietRig.start(config(rate, true))) {
            rig.events();
            KernelCounters before = rig.settledCounters();
            List<byte[]> control = new ArrayList<>();
            for (int flags : new int[] {TH_SYN, TH_SYN | TH_ACK, TH_FIN | TH_ACK, TH_RST}) {
                control.add(tcp(rig, 40000, 80, flags, new byte[0]).build());
            }
            byte[] get = "GET /x HTTP/1.1\r\nHost: h\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] start = tcp(rig, 40001, 80, TH_ACK | TH_PSH, get).seq(1000).build();
            byte[] follow = tcp(rig, 40001, 80, TH_ACK | TH_PSH, "Accept: */*\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                    .seq(1000 + get.length).build();
            byte[] dns = rig.frame().ipv4(v4("198.18.0.1"), v4("198.18.0.2")).udp(40002, 53).payload(new byte[30]).build();
            byte[] nonIp = rig.frame().nonIp(0x88b5).payload(new byte[46]).build();
            // Plain data segments: kept only if their label selects them at 1 in 2^20.
            List<byte[]> plain = new ArrayList<>();
            long plainKept = 0;
            for (int i = 0; i < 200; i++) {
                plain.add(plainSegment(rig, 41000 + i).build());
            }
            control.forEach(rig::send);
            rig.send(start);
            rig.send(follow);
            rig.send(dns);
            rig.send(nonIp);
            plain.forEach(rig::send);
            List<RawEvent> records = rig.events().await(e -> true, 8, WAIT);
            KernelCounters d = rig.settledCounters().minus(before);
            for (RawEvent e : rig.events().all()) {
                if (e.keepReason() == KEEP_SAMPLED) {
                    plainKept++;
                }
            }

            assertThat(records.stream().filter(e -> e.keepReason() == KEEP_TCP_CONTROL)).hasSize(4)
                    .allSatisfy(e -> assertThat(e.sampleRate()).isEqualTo(1));
            assertThat(records.stream().filter(e -> e.keepReason() == KEEP_L7)).hasSize(3)
                    .allSatisfy(e -> {
                        assertThat(e.sampleRate()).isEqualTo(1);
                        assertThat(e.hasFlag(PF_L7)).isTrue();
                    });
            assertThat(records.stream().filter(e -> e.keepReason() == KEEP_NOT_IP)).singleElement()
                    .satisfies(e -> {
                        assertThat(e.packetHash()).isZero();
                        assertThat(e.sampleRate()).isEqualTo(1);
                    });
            long expectedPlainKept = plain.stream().filter(p -> PacketHash.keep(hashOfFrame(p), rate)).count();
            assertThat(plainKept).isEqualTo(expectedPlainKept);
            assertThat(d.seen()).isEqualTo(4 + 2 + 1 + 1 + 200);
            assertThat(d.submitted()).isEqualTo(8 + expectedPlainKept);
            assertThat(d.sampledOut()).isEqualTo(200 - expectedPlainKept);
            assertThat(d.unaccounted()).isZero();
        }
    }

    @Test
    void shouldSampleTcpControlAndL7PacketsByTheirLabelWhenNotKeptRegardless() {
        int rate = 4;
        try (QuietRig rig = QuietRig.start(config(rate, false))) {
            rig.events();
            KernelCounters before = rig.settledCounters();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                sent.add(tcp(rig, 42000 + i, 80, i % 2 == 0 ? TH_SYN : TH_FIN | TH_ACK,
                        "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)).build());
            }
            sent.forEach(rig::send);
            long expected = sent.stream().filter(p -> PacketHash.keep(hashOfFrame(p), rate)).count();
            List<RawEvent> records = rig.events().await(e -> true, (int) expected, WAIT);
            KernelCounters d = rig.settledCounters().minus(before);

            assertThat(records).hasSize((int) expected).allSatisfy(e -> {
                assertThat(e.keepReason()).isEqualTo(KEEP_SAMPLED);
                assertThat(e.sampleRate()).isEqualTo(rate);
            });
            assertThat(d.sampledOut()).isEqualTo(400 - expected);
            assertThat(d.l7Start()).as("L7 detection still runs on sampled-out packets").isEqualTo(400);
        }
    }

    @Test
    void shouldGiveRealTrafficLabelsThatPacketHashRecomputesFromTheRecords() throws Exception {
        try (CaptureRig rig = CaptureRig.start(new CaptureConfig(512, 1 << 24, 0))) {
            rig.events();
            int port = 8090;
            ServerSocket server = rig.b().call(() -> new ServerSocket(port, 1, rig.eb().ipv4()));
            byte[] bulk = new byte[2 << 20];
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                try (server; Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    return in.transferTo(OutputStream.nullOutputStream());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            rig.a().call(() -> {
                try (Socket c = new Socket(rig.eb().ipv4(), port); OutputStream out = c.getOutputStream()) {
                    out.write(bulk);
                }
                try (DatagramSocket u = new DatagramSocket()) {
                    for (int i = 0; i < 50; i++) {
                        byte[] d = ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
                        u.send(new DatagramPacket(d, d.length, new InetSocketAddress(rig.eb().ipv6(), 9999)));
                    }
                }
                return null;
            });
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(bulk.length);
            rig.a().execOrThrow("ping", "-c", "3", "-i", "0.2", "-6", rig.eb().ipv6().getHostAddress());
            rig.settledCounters();
            List<RawEvent> ip = rig.events().matching(e -> e.ipVersion() != 0);

            assertThat(ip.stream().filter(e -> e.ipProto() == IPPROTO_TCP)).hasSizeGreaterThan(20);
            assertThat(ip.stream().filter(e -> e.gsoSegs() > 1)).as("GSO super-packets are labelled too").isNotEmpty();
            assertThat(ip.stream().filter(e -> e.ipProto() == IPPROTO_UDP)).hasSizeGreaterThanOrEqualTo(50);
            assertThat(ip.stream().filter(e -> e.ipProto() == IPPROTO_ICMPV6 && e.icmpType() == 128)).hasSize(3);
            for (RawEvent e : ip) {
                assertThat(PacketHash.ofRecord(ByteBuffer.wrap(e.raw()), 0, e.raw().length)).as("%s", e)
                        .isEqualTo(e.packetHash());
            }
        }
    }

    private static PacketBuilder tcp(QuietRig rig, int sport, int dport, int flags, byte[] payload) {
        return rig.frame().ipv4(v4("198.18.0.1"), v4("198.18.0.2")).tcp(sport, dport).flags(flags).payload(payload);
    }

    /** A bulk data segment: nothing about it makes the kernel keep it regardless of its label. */
    private static PacketBuilder plainSegment(QuietRig rig, int sport) {
        return tcp(rig, sport, 5001, TH_ACK, new byte[100]).seq(sport * 7919L).ack(12345);
    }

    /** The label of a frame built by {@link #tcp} (IPv4 TCP, no options, IP ID 0). */
    private static long hashOfFrame(byte[] frame) {
        ByteBuffer f = ByteBuffer.wrap(frame);
        int tcp = 14 + 20;
        int sport = f.getShort(tcp) & 0xffff;
        int dport = f.getShort(tcp + 2) & 0xffff;
        long seq = f.getInt(tcp + 4) & 0xffffffffL;
        long ack = f.getInt(tcp + 8) & 0xffffffffL;
        int flags = (f.get(tcp + 13) & 0xff) | ((f.get(tcp + 12) & 1) << 8);
        int payloadOff = tcp + ((f.get(tcp + 12) & 0xf0) >> 2);
        int payloadLen = frame.length - payloadOff;
        long prefix = PacketHash.prefixWord(frame, payloadOff, payloadLen, payloadLen);
        byte[] src = new byte[4];
        byte[] dst = new byte[4];
        f.get(14 + 12, src);
        f.get(14 + 16, dst);
        return PacketHash.hash(4, IPPROTO_TCP, src, 0, dst, 0, 4, sport, dport, 0, seq, ack, flags, 0, 0, 0, 0, 0, 0,
                payloadLen, prefix);
    }

    private static InetAddress v4(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
