package io.headerlog.collector.bpf;

import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.CaptureRig;
import io.headerlog.testing.QuietRig;
import io.headerlog.testing.RawEvent;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel's flow counters: exact packets, bytes, times and TCP flags per flow, interface and
 * direction, also while packets are sampled; idle and active timeouts; draining at shutdown; what
 * happens when a flow table is full. Crafted frames travel on a {@link QuietRig} whose program runs on
 * the sender's egress and the receiver's ingress, so each flow has two entries.
 */
class FlowCountersIT {

    private static final Duration LONG = Duration.ofHours(1);

    @BeforeAll
    static void requireRoot() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Three flows: TCP over IPv4 with control flags, UDP over IPv6, ICMP echo over IPv4. */
    private static List<byte[]> threeFlows(QuietRig rig) {
        List<byte[]> out = new ArrayList<>();
        int[] tcpFlags = {TH_SYN, TH_ACK, TH_ACK | TH_PSH, TH_ACK | TH_PSH, TH_FIN | TH_ACK};
        for (int i = 0; i < tcpFlags.length; i++) {
            out.add(rig.frame().ipv4(ip("198.18.0.1"), ip("198.18.0.2")).tcp(40000, 80).seq(1000 + 100L * i)
                    .flags(tcpFlags[i]).payload(new byte[i * 100]).build());
        }
        for (int i = 0; i < 7; i++) {
            out.add(rig.frame().ipv6(ip("fd00::1"), ip("fd00::2")).udp(5000, 6000).payload(new byte[10 + i]).build());
        }
        for (int i = 0; i < 3; i++) {
            out.add(rig.frame().ipv4(ip("198.18.0.1"), ip("198.18.0.3")).echoRequest(9, i).payload(new byte[56]).build());
        }
        return out;
    }

    private static Map<Integer, List<FlowEntry>> byProtocol(List<FlowEntry> flows) {
        return flows.stream().collect(Collectors.groupingBy(FlowEntry::protocol));
    }

    private static long bytes(List<byte[]> frames, int from, int to) {
        return frames.subList(from, to).stream().mapToLong(f -> f.length).sum();
    }

    private void assertThreeFlows(QuietRig rig, List<byte[]> sent, List<FlowEntry> flows, long t0, long t1) {
        assertThat(flows).as("3 flows x (sender egress + receiver ingress)").hasSize(6);
        for (FlowEntry f : flows) {
            assertThat(f.firstSeenNs()).isBetween(t0, t1);
            assertThat(f.lastSeenNs()).isBetween(f.firstSeenNs(), t1);
            assertThat(f.ifindex()).isEqualTo(f.direction() == Direction.EGRESS ? rig.senderIfindex() : rig.receiverIfindex());
        }
        Map<Integer, List<FlowEntry>> p = byProtocol(flows);
        assertThat(p.get(IPPROTO_TCP)).hasSize(2).allSatisfy(f -> {
            assertThat(f.ipVersion()).isEqualTo(4);
            assertThat(f.srcAddress()).isEqualTo(ip("198.18.0.1"));
            assertThat(f.dstAddress()).isEqualTo(ip("198.18.0.2"));
            assertThat(f.srcPort()).isEqualTo(40000);
            assertThat(f.dstPort()).isEqualTo(80);
            assertThat(f.packets()).isEqualTo(5);
            assertThat(f.bytes()).isEqualTo(bytes(sent, 0, 5));
            assertThat(f.tcpFlags()).isEqualTo(TH_SYN | TH_ACK | TH_PSH | TH_FIN);
        });
        assertThat(p.get(IPPROTO_UDP)).hasSize(2).allSatisfy(f -> {
            assertThat(f.ipVersion()).isEqualTo(6);
            assertThat(f.srcAddress()).isEqualTo(ip("fd00::1"));
            assertThat(f.srcPort()).isEqualTo(5000);
            assertThat(f.packets()).isEqualTo(7);
            assertThat(f.bytes()).isEqualTo(bytes(sent, 5, 12));
            assertThat(f.tcpFlags()).isZero();
        });
        assertThat(p.get(IPPROTO_ICMP)).hasSize(2).allSatisfy(f -> {
            assertThat(f.dstAddress()).isEqualTo(ip("198.18.0.3"));
            assertThat(f.srcPort()).isZero();
            assertThat(f.packets()).isEqualTo(3);
            assertThat(f.bytes()).isEqualTo(bytes(sent, 12, 15));
        });
        assertThat(flows.stream().map(FlowEntry::direction).distinct()).containsExactlyInAnyOrder(Direction.EGRESS,
                Direction.INGRESS);
    }

    @Test
    void shouldCountEveryPacketAndByteOfEachFlowPerInterfaceAndDirection() {
        try (QuietRig rig = QuietRig.start(new CaptureConfig(64, 1 << 20, 0), true)) {
            List<byte[]> sent = threeFlows(rig);
            long t0 = System.nanoTime();
            sent.forEach(rig::send);
            rig.settledCounters();
            long t1 = System.nanoTime();
            List<FlowEntry> flows = rig.program().flows().collect(t1, Duration.ofNanos(1), LONG);

            assertThreeFlows(rig, sent, flows, t0, t1);
            assertThat(flows).allSatisfy(f -> assertThat(f.reason()).isEqualTo(FlowEntry.EndReason.IDLE));
            assertThat(rig.program().flows().heldFlows()).isZero();
        }
    }

    @Test
    void shouldCountFlowsExactlyWhilePacketsAreSampled() {
        try (QuietRig rig = QuietRig.start(new CaptureConfig(64, 1 << 20, 0).withSampleRate(10).withKeep(false, false),
                true)) {
            List<byte[]> sent = threeFlows(rig);
            long t0 = System.nanoTime();
            KernelCounters before = rig.settledCounters();
            sent.forEach(rig::send);
            KernelCounters d = rig.settledCounters().minus(before);
            long t1 = System.nanoTime();

            assertThat(d.sampledOut()).as("most packets are sampled out").isGreaterThan(15);
            assertThreeFlows(rig, sent, rig.program().flows().collect(t1, Duration.ofNanos(1), LONG), t0, t1);
        }
    }

    @Test
    void shouldEmitAFlowOnceItIsIdleForTheIdleTimeout() {
        try (QuietRig rig = QuietRig.start(new CaptureConfig(64, 1 << 20, 0))) {
            FlowTable table = rig.program().flows();
            long beforeSending = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                rig.send(rig.frame().ipv4(ip("198.18.0.1"), ip("198.18.0.2")).udp(1, 2).payload(new byte[i]).build());
            }
            rig.settledCounters();
            long afterSending = System.nanoTime();
            Duration idle = Duration.ofSeconds(30);
            assertThat(table.collect(afterSending, idle, LONG)).isEmpty();
            assertThat(table.heldFlows()).as("taken out of the kernel, held until a timeout").isEqualTo(1);
            // The last packet came after beforeSending, so at beforeSending + idle - 1 it is not idle yet ...
            assertThat(table.collect(beforeSending + idle.toNanos() - 1, idle, LONG)).isEmpty();
            // ... and it came before afterSending, so at afterSending + idle it is.
            List<FlowEntry> idleFlows = table.collect(afterSending + idle.toNanos(), idle, LONG);

            assertThat(idleFlows).singleElement().satisfies(f -> {
                assertThat(f.packets()).isEqualTo(4);
                assertThat(f.reason()).isEqualTo(FlowEntry.EndReason.IDLE);
            });
            assertThat(table.heldFlows()).isZero();
        }
    }

    @Test
    void shouldSplitALongFlowAtTheActiveTimeoutAndCountAgainFromZero() {
        try (QuietRig rig = QuietRig.start(new CaptureConfig(64, 1 << 20, 0))) {
            FlowTable table = rig.program().flows();
            byte[] frame = rig.frame().ipv4(ip("198.18.0.1"), ip("198.18.0.2")).udp(1, 2).payload(new byte[20]).build();
            for (int i = 0; i < 3; i++) {
                rig.send(frame);
            }
            rig.settledCounters();
            long firstPart = System.nanoTime();
            Duration active = Duration.ofSeconds(60);
            assertThat(table.collect(firstPart, LONG, active)).isEmpty();
            for (int i = 0; i < 2; i++) {
                rig.send(frame);
            }
            rig.settledCounters();
            List<FlowEntry> split = table.collect(firstPart + active.toNanos(), LONG, active);
            assertThat(split).singleElement().satisfies(f -> {
                assertThat(f.packets()).isEqualTo(5);
                assertThat(f.bytes()).isEqualTo(5L * frame.length);
                assertThat(f.reason()).isEqualTo(FlowEntry.EndReason.ACTIVE);
                assertThat(f.firstSeenNs()).isLessThan(firstPart);
                assertThat(f.lastSeenNs()).isGreaterThan(firstPart);
            });

            long restart = System.nanoTime();
            rig.send(frame);
            rig.settledCounters();
            List<FlowEntry> after = table.drainAll();
            assertThat(after).singleElement().satisfies(f -> {
                assertThat(f.packets()).as("counted again from 0").isEqualTo(1);
                assertThat(f.firstSeenNs()).isGreaterThan(restart);
                assertThat(f.reason()).isEqualTo(FlowEntry.EndReason.SHUTDOWN);
            });
        }
    }

    @Test
    void shouldDrainBothTablesAndHeldFlowsAtShutdown() {
        try (QuietRig rig = QuietRig.start(new CaptureConfig(64, 1 << 20, 0), true)) {
            FlowTable table = rig.program().flows();
            List<byte[]> sent = threeFlows(rig);
            long t0 = System.nanoTime();
            sent.subList(0, 7).forEach(rig::send);
            rig.settledCounters();
            // Held here now, the kernel starts on the other table.
            assertThat(table.collect(System.nanoTime(), LONG, LONG)).isEmpty();
            sent.subList(7, sent.size()).forEach(rig::send);
            rig.settledCounters();
            rig.detach();
            long t1 = System.nanoTime();
            List<FlowEntry> all = table.drainAll();

            assertThreeFlows(rig, sent, all, t0, t1);
            assertThat(all).allSatisfy(f -> assertThat(f.reason()).isEqualTo(FlowEntry.EndReason.SHUTDOWN));
            assertThat(table.drainAll()).isEmpty();
        }
    }

    @Test
    void shouldLoseNoPacketWhileFlowsAreCollectedDuringTraffic() throws Exception {
        try (QuietRig rig = QuietRig.start(new CaptureConfig(64, 1 << 22, 0).withSampleRate(50), true)) {
            FlowTable table = rig.program().flows();
            int packets = 20_000;
            List<byte[]> frames = new ArrayList<>();
            for (int flow = 0; flow < 5; flow++) {
                frames.add(rig.frame().ipv4(ip("198.18.0.1"), ip("198.18.0.2")).udp(7000 + flow, 8000).payload(new byte[flow])
                        .build());
            }
            long bytesSent = 0;
            for (int i = 0; i < packets; i++) {
                bytesSent += frames.get(i % 5).length;
            }
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < packets; i++) {
                    rig.send(frames.get(i % 5));
                }
            });
            List<FlowEntry> emitted = new ArrayList<>();
            int collections = 0;
            while (!sending.isDone()) {
                // Short timeouts: flows are split and emitted again and again while packets keep coming.
                emitted.addAll(table.collect(System.nanoTime(), Duration.ofMillis(1), Duration.ofMillis(5)));
                collections++;
                Thread.sleep(5);
            }
            sending.get();
            rig.settledCounters();
            rig.detach();
            emitted.addAll(table.drainAll());

            assertThat(collections).isGreaterThan(5);
            assertThat(emitted.size()).as("flows were split while packets came").isGreaterThan(10);
            for (Direction d : Direction.values()) {
                List<FlowEntry> side = emitted.stream().filter(f -> f.direction() == d).toList();
                assertThat(side.stream().mapToLong(FlowEntry::packets).sum()).as("%s packets", d).isEqualTo(packets);
                assertThat(side.stream().mapToLong(FlowEntry::bytes).sum()).as("%s bytes", d).isEqualTo(bytesSent);
            }
            System.out.printf("flow counters under traffic: %d packets per hook in %d entries over %d collections%n",
                    packets, emitted.size() / 2, collections);
        }
    }

    @Test
    void shouldCountPacketsOfFlowsThatFindTheTableFull() {
        try (QuietRig rig = QuietRig.start(new CaptureConfig(64, 1 << 20, 0).withFlowEntries(4))) {
            FlowTable table = rig.program().flows();
            KernelCounters before = rig.settledCounters();
            for (int round = 0; round < 2; round++) {
                for (int flow = 0; flow < 10; flow++) {
                    for (int p = 0; p < 3; p++) {
                        rig.send(rig.frame().ipv4(ip("198.18.0.1"), ip("198.18.0.2")).udp(1000 + flow, 2000).build());
                    }
                }
                rig.settledCounters();
                List<FlowEntry> flows = table.collect(System.nanoTime(), Duration.ofNanos(1), LONG);
                // The first four flows took the four places; the other six were counted as missing.
                assertThat(flows).hasSize(4).allSatisfy(f -> assertThat(f.packets()).isEqualTo(3));
                assertThat(flows.stream().map(FlowEntry::srcPort)).containsExactlyInAnyOrder(1000, 1001, 1002, 1003);
            }
            KernelCounters d = rig.settledCounters().minus(before);
            assertThat(d.flowTableFull()).isEqualTo(2 * 6 * 3);
            assertThat(d.seen()).isEqualTo(2 * 30);
            assertThat(d.submitted()).as("a full flow table costs no record").isEqualTo(2 * 30);
        }
    }

    @Test
    void shouldCountFlowsExactlyWhenTheyMeetInOnePerCpuSlot() {
        // 16 entries give one slot per CPU and half: the first flow a CPU sees in an interval takes it, every
        // other one goes to the table, and the collector adds both up by key
        try (QuietRig rig = QuietRig.start(new CaptureConfig(64, 1 << 20, 0).withFlowEntries(16), true)) {
            assertThat(rig.program().config().flowSlots()).isEqualTo(1);
            FlowTable table = rig.program().flows();
            // three intervals: the programs fill half 0, then half 1, then half 0 again after it was emptied
            for (int round = 0; round < 3; round++) {
                List<byte[]> sent = new ArrayList<>();
                for (int p = 0; p < 4; p++) {
                    for (int flow = 0; flow < 6; flow++) {
                        byte[] frame = rig.frame().ipv4(ip("198.18.0.1"), ip("198.18.0.2")).udp(3000 + flow, 4000)
                                .payload(new byte[flow]).build();
                        sent.add(frame);
                        rig.send(frame);
                    }
                }
                rig.settledCounters();
                List<FlowEntry> flows = table.collect(System.nanoTime(), Duration.ofNanos(1), LONG);

                assertThat(flows).as("6 flows x (sender egress + receiver ingress)").hasSize(12).allSatisfy(f -> {
                    assertThat(f.packets()).isEqualTo(4);
                    assertThat(f.bytes()).isEqualTo(4L * sent.get(f.srcPort() - 3000).length);
                });
                FlowTable.Drained drained = table.lastDrained();
                assertThat(drained.slotEntries()).as("round %d: flows that took a slot", round).isPositive();
                assertThat(drained.tableEntries()).as("round %d: flows that found it taken", round).isPositive();
            }
        }
    }

    @Test
    void shouldCountNoFlowsWhenFlowCountersAreOff() {
        try (QuietRig rig = QuietRig.start(new CaptureConfig(64, 1 << 20, 0).withFlowEntries(0))) {
            KernelCounters before = rig.settledCounters();
            rig.send(rig.frame().ipv4(ip("198.18.0.1"), ip("198.18.0.2")).udp(1, 2).build());
            KernelCounters d = rig.settledCounters().minus(before);

            assertThat(rig.program().flows().enabled()).isFalse();
            assertThat(rig.program().flows().drainAll()).isEmpty();
            assertThat(d.submitted()).isEqualTo(1);
            assertThat(d.flowTableFull()).isZero();
        }
    }

    @Test
    void shouldCountTheWireSegmentsAndBytesOfGsoSuperPacketsOnRealTraffic() throws Exception {
        try (CaptureRig rig = CaptureRig.start(new CaptureConfig(128, 1 << 24, 0))) {
            rig.events();
            int port = 8091;
            byte[] bulk = new byte[3 << 20];
            ServerSocket server = rig.b().call(() -> new ServerSocket(port, 1, rig.eb().ipv4()));
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
                return null;
            });
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(bulk.length);
            rig.settledCounters();
            List<RawEvent> data = rig.events().matching(e -> e.ingress() && e.ipProto() == IPPROTO_TCP && e.dport() == port);
            List<FlowEntry> flows = rig.program().flows().drainAll().stream()
                    .filter(f -> f.direction() == Direction.INGRESS && f.protocol() == IPPROTO_TCP && f.dstPort() == port)
                    .toList();

            assertThat(flows).singleElement().satisfies(f -> {
                long segments = data.stream().mapToLong(e -> Math.max(1, e.gsoSegs())).sum();
                long headerBytes = data.stream().mapToLong(e -> Math.max(1, e.gsoSegs()) * (long) e.payloadOff()).sum();
                long payload = data.stream().mapToLong(RawEvent::payloadLen).sum();
                assertThat(data.stream().filter(e -> e.gsoSegs() > 1)).as("super-packets").isNotEmpty();
                // at least the stream: a loaded machine may retransmit, and the wire counts those too
                assertThat(payload).isGreaterThanOrEqualTo(bulk.length);
                assertThat(f.packets()).isEqualTo(segments);
                // Wire bytes = every segment's own headers + the payload.
                assertThat(f.bytes()).isEqualTo(headerBytes + payload);
                assertThat(f.tcpFlags() & (TH_SYN | TH_FIN | TH_ACK)).isEqualTo(TH_SYN | TH_FIN | TH_ACK);
                System.out.printf("flow counters: %d wire segments in %d records, %d bytes%n", f.packets(), data.size(),
                        f.bytes());
            });
        }
    }

    @Test
    void shouldCompareFlowsByContent() {
        byte[] a = {10, 0, 0, 1};
        FlowEntry one = new FlowEntry(3, Direction.INGRESS, 4, 6, a, a, 1, 2, 5, 500, 1, 2, 0x12, FlowEntry.EndReason.IDLE);
        FlowEntry two = new FlowEntry(3, Direction.INGRESS, 4, 6, a.clone(), a.clone(), 1, 2, 5, 500, 1, 2, 0x12,
                FlowEntry.EndReason.IDLE);
        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(Arrays.equals(one.srcAddr(), a)).isTrue();
    }
}
