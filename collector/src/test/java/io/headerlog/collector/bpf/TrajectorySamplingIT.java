package io.headerlog.collector.bpf;

import static io.headerlog.collector.bpf.EventLayout.*;
import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.EventCollector;
import io.headerlog.testing.Host;
import io.headerlog.testing.RawEvent;
import io.headerlog.testing.TestHosts;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
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
 * Trajectory sampling across hosts: two independent capture programs (two collectors) at the same
 * rate, one on host A's way out and one on host C's way in, with host B routing in between (it lowers
 * the TTL, rewrites the MACs and the IPv4 checksum). For the packets that crossed both, the two keep
 * exactly the same set of labels.
 */
class TrajectorySamplingIT {

    private static final int RATE = 8;

    @BeforeAll
    static void requireRoot() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
    }

    private static Map<Long, Long> labels(List<RawEvent> records) {
        return records.stream().map(RawEvent::packetHash)
                .collect(Collectors.groupingBy(Function.identity(), HashMap::new, Collectors.counting()));
    }

    private static boolean fromAToC(RawEvent e, Host a, Host c) {
        InetAddress src = e.source();
        InetAddress dst = e.destination();
        return src != null && (src.equals(a.ipv4()) && dst.equals(c.ipv4()) || src.equals(a.ipv6()) && dst.equals(c.ipv6()));
    }

    @Test
    void shouldKeepTheSameLabelsOnTwoHostsForThePacketsThatCrossedBoth() throws Exception {
        CaptureConfig config = new CaptureConfig(128, 1 << 25, 0).withSampleRate(RATE);
        try (TestHosts hosts = TestHosts.chain(3);
             CaptureProgram atA = CaptureProgram.load(config);
             CaptureProgram atC = CaptureProgram.load(config)) {
            Host a = hosts.host(0);
            Host c = hosts.host(2);
            TestHosts.Endpoint aOut = hosts.link(0).a();
            TestHosts.Endpoint cIn = hosts.link(1).b();
            a.call(() -> atA.attach(aOut.ifindex(), Direction.EGRESS));
            c.call(() -> atC.attach(cIn.ifindex(), Direction.INGRESS));
            try (EventCollector seenByA = new EventCollector(atA.ringReader());
                 EventCollector seenByC = new EventCollector(atC.ringReader())) {
                traffic(a, c);
                settle(atA);
                settle(atC);
                // Every submitted record read, so the two sides are compared in full.
                seenByA.await(e -> true, (int) atA.readCounters().submitted(), Duration.ofSeconds(20));
                seenByC.await(e -> true, (int) atC.readCounters().submitted(), Duration.ofSeconds(20));

                List<RawEvent> keptByA = seenByA.matching(e -> fromAToC(e, a, c));
                List<RawEvent> keptByC = seenByC.matching(e -> fromAToC(e, a, c));
                KernelCounters countersA = atA.readCounters();
                KernelCounters countersC = atC.readCounters();

                assertThat(countersA.ringbufFull()).isZero();
                assertThat(countersC.ringbufFull()).isZero();
                long tcp = keptByA.stream().filter(e -> e.ipProto() == IPPROTO_TCP && e.keepReason() == KEEP_SAMPLED).count();
                long udp = keptByA.stream().filter(e -> e.ipProto() == IPPROTO_UDP).count();
                System.out.printf("sampled in at A: %d TCP segments, %d UDP datagrams%n", tcp, udp);
                assertThat(tcp).isGreaterThan(20);
                assertThat(udp).isGreaterThan(100);
                assertThat(labels(keptByC)).as("labels kept at C's ingress vs at A's egress").isEqualTo(labels(keptByA));

                // The same packet, changed on the way: B routed it.
                RawEvent atAOut = keptByA.stream().filter(e -> e.keepReason() == KEEP_SAMPLED).findFirst().orElseThrow();
                RawEvent atCIn = keptByC.stream().filter(e -> e.packetHash() == atAOut.packetHash()).findFirst().orElseThrow();
                assertThat(atCIn.ipTtl()).isEqualTo(atAOut.ipTtl() - 1);
                assertThat(Arrays.equals(atCIn.ethSrc(), atAOut.ethSrc())).isFalse();

                // Sampled-in packets are about 1 in RATE of those the hash decided on.
                long sampledIn = keptByA.stream().filter(e -> e.keepReason() == KEEP_SAMPLED).count();
                long decided = seenByA.matching(e -> e.keepReason() == KEEP_SAMPLED).size() + countersA.sampledOut();
                double p = 1.0 / RATE;
                double sd = Math.sqrt(decided * p * (1 - p));
                assertThat((double) seenByA.matching(e -> e.keepReason() == KEEP_SAMPLED).size())
                        .isBetween(decided * p - 5 * sd, decided * p + 5 * sd);
                assertThat(keptByA.stream().allMatch(e -> e.keepReason() != KEEP_SAMPLED || e.sampleRate() == RATE)).isTrue();
                System.out.printf("trajectory sampling 1/%d: %d labels kept at both hosts (%d sampled in), %d decided at A%n",
                        RATE, keptByA.size(), sampledIn, decided);
            }
        }
    }

    /** A TCP bulk transfer over IPv4, UDP datagrams over IPv6 and pings, all from A to C through B. */
    private static void traffic(Host a, Host c) throws Exception {
        int port = 8092;
        ServerSocket server = c.call(() -> new ServerSocket(port, 1, c.ipv4()));
        DatagramSocket sink = c.call(() -> new DatagramSocket(new InetSocketAddress(c.ipv6(), 9999)));
        CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
            try (server; Socket s = server.accept(); InputStream in = s.getInputStream()) {
                return in.transferTo(OutputStream.nullOutputStream());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] bulk = new byte[2 << 20];
        a.call(() -> {
            try (Socket s = new Socket(c.ipv4(), port); OutputStream out = s.getOutputStream()) {
                // Small writes without Nagle: thousands of segments rather than a few dozen super-packets.
                s.setTcpNoDelay(true);
                for (int off = 0; off < bulk.length; off += 1000) {
                    out.write(bulk, off, Math.min(1000, bulk.length - off));
                }
            }
            try (DatagramSocket u = new DatagramSocket()) {
                for (int i = 0; i < 2000; i++) {
                    // IPv6 has no IP ID: what tells these datagrams apart must be in the first 8 payload bytes.
                    byte[] d = String.format("%08d datagram", i).getBytes(StandardCharsets.US_ASCII);
                    u.send(new DatagramPacket(d, d.length, new InetSocketAddress(c.ipv6(), 9999)));
                }
            }
            return null;
        });
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(bulk.length);
        a.execOrThrow("ping", "-c", "20", "-i", "0.05", c.ipv4().getHostAddress());
        sink.close();
    }

    private static void settle(CaptureProgram program) throws InterruptedException {
        KernelCounters before = program.readCounters();
        while (true) {
            Thread.sleep(200);
            KernelCounters now = program.readCounters();
            if (now.equals(before)) {
                return;
            }
            before = now;
        }
    }
}
