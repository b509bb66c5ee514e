package io.headerlog.collector.bpf;

import static io.headerlog.collector.bpf.EventLayout.*;
import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.CaptureRig;
import io.headerlog.testing.L7Payloads;
import io.headerlog.testing.PacketBuilder;
import io.headerlog.testing.RawEvent;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * L7 copying on the kernel's own TCP between two test hosts (MTU 1500, so header blocks span
 * segments, and veth keeps GSO super-packets whole): a Java client on host A talks to a small HTTP/1.1
 * server on host B, where the program is attached. Default knobs: snap 512, L7 snap 4096, budget 16384.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class L7RealTrafficIT {

    private static final int SNAP = CaptureConfig.DEFAULT_SNAP_LEN;
    private static final int L7_SNAP = CaptureConfig.DEFAULT_L7_SNAP_LEN;
    private static final int BUDGET = CaptureConfig.DEFAULT_L7_FOLLOW_BYTES;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern CONTENT_LENGTH = Pattern.compile("\r\ncontent-length:\\s*(\\d+)\r\n");

    private CaptureRig rig;

    @BeforeAll
    void start() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
        rig = CaptureRig.start(CaptureConfig.defaults().withRingBytes(1 << 23));
        rig.events();
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

    /**
     * A server on B that answers every request of one connection (header block, then Content-Length
     * body bytes) with {@link #RESPONSE}, or, with {@code answer} false, only reads until the client
     * closes. Completes with the bytes it read.
     */
    private CompletableFuture<byte[]> serveOnce(InetAddress address, int port, boolean answer) throws IOException {
        ServerSocket server = rig.b().call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(address, port));
            return s;
        });
        return CompletableFuture.supplyAsync(() -> {
            try (server; Socket s = server.accept(); InputStream in = new BufferedInputStream(s.getInputStream())) {
                if (!answer) {
                    return in.readAllBytes();
                }
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                OutputStream out = s.getOutputStream();
                byte[] head;
                while ((head = readHeaderBlock(in)) != null) {
                    all.writeBytes(head);
                    Matcher m = CONTENT_LENGTH.matcher(new String(head, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT));
                    if (m.find()) {
                        all.writeBytes(in.readNBytes(Integer.parseInt(m.group(1))));
                    }
                    out.write(RESPONSE);
                    out.flush();
                }
                return all.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The bytes up to and including the empty line, or null at a clean end of stream. */
    private static byte[] readHeaderBlock(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        int tail = 0;
        while ((c = in.read()) >= 0) {
            b.write(c);
            tail = (tail << 8) | c;
            if (tail == 0x0d0a0d0a) {
                return b.toByteArray();
            }
        }
        if (b.size() != 0) {
            throw new IOException("the connection ended inside a header block");
        }
        return null;
    }

    private Socket connect(InetAddress address, int port) throws IOException {
        return rig.a().call(() -> {
            Socket c = new Socket();
            c.setTcpNoDelay(true);
            c.connect(new InetSocketAddress(address, port), 5000);
            return c;
        });
    }

    /**
     * The client's data segments as B's ingress saw them, in arrival order, once its FIN was seen
     * (every segment before it is in the ring by then: the server had read them).
     */
    private List<RawEvent> clientSegments(int port) {
        rig.events().awaitOne(e -> e.ingress() && e.dport() == port && (e.tcpFlags() & TH_FIN) != 0, WAIT);
        return rig.events().matching(e -> e.ingress() && e.dport() == port && e.payloadLen() > 0);
    }

    /** How many distinct stream bytes the segments cover, retransmitted ones counted once. */
    private static long coveredBytes(List<RawEvent> segments) {
        long first = segments.get(0).tcpSeq();
        List<RawEvent> bySeq = new ArrayList<>(segments);
        bySeq.sort(Comparator.comparingLong(e -> seqDiff(e.tcpSeq(), first)));
        long covered = 0;
        long end = Long.MIN_VALUE;
        for (RawEvent e : bySeq) {
            long from = Math.max(seqDiff(e.tcpSeq(), first), end);
            long to = seqDiff(e.tcpSeq(), first) + e.payloadLen();
            if (to > from) {
                covered += to - from;
                end = to;
            }
        }
        return covered;
    }

    /** The segments' copied bytes put back at their stream offsets (relative to the first one). */
    private static byte[] joined(List<RawEvent> segments) {
        List<RawEvent> bySeq = new ArrayList<>(segments);
        long first = segments.get(0).tcpSeq();
        bySeq.sort(Comparator.comparingLong(e -> seqDiff(e.tcpSeq(), first)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (RawEvent e : bySeq) {
            assertThat(seqDiff(e.tcpSeq(), first)).as("no gap before %s", e).isEqualTo(out.size());
            out.writeBytes(e.payload());
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void shouldCopyAHeaderBlockWrittenAtOnceInOneRecord(int ipVersion) throws Exception {
        int port = 8000 + ipVersion;
        InetAddress server = ipVersion == 4 ? rig.eb().ipv4() : rig.eb().ipv6();
        byte[] block = L7Payloads.httpHeaderBlock("GET /one-write HTTP/1.1", 4000);
        CompletableFuture<byte[]> served = serveOnce(server, port, true);
        KernelCounters before = rig.settledCounters();

        try (Socket client = connect(server, port)) {
            client.getOutputStream().write(block);
            assertThat(client.getInputStream().readNBytes(RESPONSE.length)).isEqualTo(RESPONSE);
        }
        assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(block);

        List<RawEvent> segments = clientSegments(port);
        assertThat(segments).as("one GSO super-packet").hasSize(1);
        RawEvent e = segments.get(0);
        System.out.printf("one write over IPv%d: %d payload bytes in one skb of %d gso segments%n", ipVersion,
                e.payloadLen(), e.gsoSegs());
        assertThat(e.gsoSegs()).as("more than one wire segment").isGreaterThan(1);
        assertThat(e.hasFlag(PF_L7)).isTrue();
        assertThat(e.hasFlag(PF_SNAP_CUT)).isFalse();
        assertThat(e.payloadLen()).isEqualTo(block.length);
        assertThat(e.snapLen()).isEqualTo(block.length);
        assertThat(e.payload()).isEqualTo(block);
        RawEvent response = rig.events().awaitOne(r -> r.egress() && r.sport() == port && r.payloadLen() > 0, WAIT);
        assertThat(response.hasFlag(PF_L7)).isTrue();
        assertThat(response.payload()).isEqualTo(RESPONSE);
        KernelCounters d = rig.settledCounters().minus(before);
        assertThat(d.l7Start()).as("the request and the response").isEqualTo(2);
        assertThat(d.l7Follow()).isZero();
    }

    @Test
    void shouldCopyEveryContinuationSegmentOfAHeaderBlockWrittenInThreeParts() throws Exception {
        int port = 8010;
        byte[] block = L7Payloads.httpHeaderBlock("GET /three-writes HTTP/1.1", 3600);
        CompletableFuture<byte[]> served = serveOnce(rig.eb().ipv4(), port, true);
        KernelCounters before = rig.settledCounters();

        try (Socket client = connect(rig.eb().ipv4(), port)) {
            OutputStream out = client.getOutputStream();
            for (int part = 0; part < 3; part++) {
                out.write(block, part * 1200, 1200);
                out.flush();
                Thread.sleep(50);
            }
            assertThat(client.getInputStream().readNBytes(RESPONSE.length)).isEqualTo(RESPONSE);
        }
        assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(block);

        List<RawEvent> segments = clientSegments(port);
        assertThat(segments).as("one segment per write (TCP_NODELAY)").hasSize(3);
        for (RawEvent e : segments) {
            assertThat(e.payloadLen()).as("more than the snap length: %s", e).isEqualTo(1200).isGreaterThan(SNAP);
            assertThat(e.hasFlag(PF_L7)).as("L7: %s", e).isTrue();
            assertThat(e.snapLen()).isEqualTo(e.payloadLen());
            assertThat(e.hasFlag(PF_SNAP_CUT)).isFalse();
        }
        assertThat(joined(segments)).isEqualTo(block);
        KernelCounters d = rig.settledCounters().minus(before);
        assertThat(d.l7Start()).as("the request and the response").isEqualTo(2);
        assertThat(d.l7Follow()).as("the two continuation segments").isEqualTo(2);
    }

    @Test
    void shouldTreatEveryRequestOfAKeepAliveConnectionAsAStart() throws Exception {
        int port = 8011;
        byte[] first = L7Payloads.httpHeaderBlock("GET /first HTTP/1.1", 3000);
        byte[] second = L7Payloads.httpHeaderBlock("GET /second HTTP/1.1", 3100);
        CompletableFuture<byte[]> served = serveOnce(rig.eb().ipv4(), port, true);
        KernelCounters before = rig.settledCounters();

        try (Socket client = connect(rig.eb().ipv4(), port)) {
            for (byte[] request : List.of(first, second)) {
                client.getOutputStream().write(request);
                assertThat(client.getInputStream().readNBytes(RESPONSE.length)).isEqualTo(RESPONSE);
            }
        }
        assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(L7Payloads.concat(first, second));

        List<RawEvent> segments = clientSegments(port);
        assertThat(segments).hasSize(2);
        assertThat(segments.get(0).payload()).isEqualTo(first);
        assertThat(segments.get(1).payload()).isEqualTo(second);
        assertThat(segments).allMatch(e -> e.hasFlag(PF_L7) && !e.hasFlag(PF_SNAP_CUT));
        KernelCounters d = rig.settledCounters().minus(before);
        assertThat(d.l7Start()).as("two requests, two responses").isEqualTo(4);
    }

    @Test
    void shouldStopCopyingAPostBodyOnceTheBudgetIsUsedUp() throws Exception {
        int port = 8012;
        byte[] body = PacketBuilder.pattern(256 * 1024, 21);
        byte[] head = ("POST /upload HTTP/1.1\r\nHost: b.test\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<byte[]> served = serveOnce(rig.eb().ipv4(), port, true);
        KernelCounters before = rig.settledCounters();

        try (Socket client = connect(rig.eb().ipv4(), port)) {
            client.getOutputStream().write(head);
            client.getOutputStream().write(body);
            assertThat(client.getInputStream().readNBytes(RESPONSE.length)).isEqualTo(RESPONSE);
        }
        byte[] stream = L7Payloads.concat(head, body);
        assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(stream);

        List<RawEvent> segments = clientSegments(port);
        RawEvent start = segments.get(0);
        assertThat(new String(start.payload(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("POST ");
        assertThat(start.hasFlag(PF_L7)).isTrue();
        long afterStart = start.tcpSeq() + start.payloadLen();
        long followedBytes = 0;
        int followed = 0;
        int plain = 0;
        for (RawEvent e : segments.subList(1, segments.size())) {
            long at = seqDiff(e.tcpSeq(), afterStart);
            int streamOffset = (int) (at + start.payloadLen());
            if (at < BUDGET) {
                assertThat(e.hasFlag(PF_L7)).as("inside the budget: %s at %d", e, at).isTrue();
                assertThat(e.snapLen()).isEqualTo(Math.min(e.payloadLen(), L7_SNAP));
                followedBytes += e.payloadLen();
                followed++;
            } else {
                assertThat(e.hasFlag(PF_L7)).as("beyond the budget: %s at %d", e, at).isFalse();
                assertThat(e.snapLen()).isEqualTo(Math.min(e.payloadLen(), SNAP));
                plain++;
            }
            assertThat(e.hasFlag(PF_SNAP_CUT)).isEqualTo(e.snapLen() < e.payloadLen());
            assertThat(e.payload()).isEqualTo(Arrays.copyOfRange(stream, streamOffset, streamOffset + e.snapLen()));
        }
        System.out.printf("POST of %d bytes: start %d bytes, %d segments (%d bytes) followed, %d plain%n", stream.length,
                start.payloadLen(), followed, followedBytes, plain);
        assertThat(followed).isPositive();
        assertThat(plain).isPositive();
        assertThat(followedBytes).as("the budget was used up").isGreaterThanOrEqualTo(BUDGET);
        KernelCounters d = rig.settledCounters().minus(before);
        assertThat(d.l7Follow()).isEqualTo(followed);
        assertThat(d.l7Start()).as("the request and the response").isEqualTo(2);
    }

    @Test
    void shouldKeepBulkDataThatStartsNoMessageAtTheSnapLength() throws Exception {
        int port = 8013;
        byte[] bulk = PacketBuilder.pattern(256 * 1024, 1);
        CompletableFuture<byte[]> served = serveOnce(rig.eb().ipv4(), port, false);
        KernelCounters before = rig.settledCounters();

        try (Socket client = connect(rig.eb().ipv4(), port)) {
            client.getOutputStream().write(bulk);
        }
        assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(bulk);

        List<RawEvent> segments = clientSegments(port);
        assertThat(segments).isNotEmpty();
        for (RawEvent e : segments) {
            assertThat(e.hasFlag(PF_L7)).as("%s", e).isFalse();
            assertThat(e.snapLen()).isEqualTo(Math.min(e.payloadLen(), SNAP));
        }
        // Under load the stack may retransmit: count the stream bytes covered, not the segments.
        assertThat(coveredBytes(segments)).isEqualTo(bulk.length);
        KernelCounters d = rig.settledCounters().minus(before);
        assertThat(d.l7Start()).isZero();
        assertThat(d.l7Follow()).isZero();
    }
}
