package io.headerlog.collector.bpf;

import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.decode.PacketHash;
import io.headerlog.testing.CaptureRig;
import io.headerlog.testing.QuietRig;
import io.headerlog.testing.RawEvent;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-CPU counters against real packets: every packet is counted once as seen and once as
 * submitted or ring-full, and the parse outcome counters follow the frames that cause them.
 */
class KernelCountersIT {

    @BeforeAll
    static void requireRoot() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
    }

    /** Waits until no packet is being processed: the counters stop changing. */
    private static KernelCounters settled(CaptureProgram program) throws InterruptedException {
        KernelCounters before = program.readCounters();
        while (true) {
            Thread.sleep(200);
            KernelCounters now = program.readCounters();
            if (now.equals(before)) {
                return now;
            }
            before = now;
        }
    }

    @Test
    void shouldCountEveryPacketAsSubmittedOrRingFullWhenTheRingOverflows() throws Exception {
        int page = CaptureConfig.pageSize();
        try (CaptureRig rig = CaptureRig.start(new CaptureConfig(128, page, 0))) {
            byte[] frame = rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).udp(42001, 42002).payload(new byte[100]).build();
            // Nothing drains the ring during the burst, so it fills after a dozen records.
            for (int i = 0; i < 500; i++) {
                rig.sender().send(frame);
            }
            KernelCounters c = settled(rig.program());

            assertThat(c.seen()).isGreaterThanOrEqualTo(500);
            assertThat(c.seen()).isEqualTo(c.submitted() + c.ringbufFull());
            assertThat(c.ringbufFull()).isPositive();
            // One record is 8 + 152 + 128 bytes: a one-page ring holds 14 of them.
            int record = 8 + EventLayout.SIZE + 128;
            assertThat(c.submitted()).isBetween((long) page / record, 2L * page / record + 50);

            List<RawEvent> read = new ArrayList<>();
            RingBufferReader reader = rig.program().ringReader();
            while (reader.drain((d, o, l) -> read.add(RawEvent.read(d, o, l)), 1000) > 0) {
                // drain everything
            }
            KernelCounters after = rig.program().readCounters();
            assertThat((long) read.size()).isLessThanOrEqualTo(after.submitted()).isPositive();
            assertThat(after.seen()).isEqualTo(after.submitted() + after.ringbufFull());
        }
    }

    @Test
    void shouldLoseNothingWhenTheRingIsLargeEnough() throws Exception {
        try (CaptureRig rig = CaptureRig.start(new CaptureConfig(64, 1 << 22, 0))) {
            int n = 2000;
            KernelCounters before = settled(rig.program());
            for (int i = 0; i < n; i++) {
                rig.sender().send(rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).ipId(i).udp(42011, 42012).build());
            }
            List<RawEvent> ours = rig.events().await(e -> e.ingress() && e.sport() == 42011, n, Duration.ofSeconds(20));
            KernelCounters delta = settled(rig.program()).minus(before);

            assertThat(ours).hasSize(n);
            assertThat(ours).extracting(RawEvent::ipId).as("ring order is send order").isSorted();
            assertThat(delta.ringbufFull()).isZero();
            assertThat(delta.seen()).isEqualTo(delta.submitted()).isGreaterThanOrEqualTo(n);
        }
    }

    @Test
    void shouldCountParseOutcomes() throws Exception {
        // Snap length 128: B's and A's own MLD reports carry 80 bytes and must not count as cut.
        try (CaptureRig rig = CaptureRig.start(new CaptureConfig(128, 1 << 20, 0));
             // Listeners keep B from answering with ICMP errors, whose quotes would be cut too.
             DatagramSocket v4 = rig.b().call(() -> new DatagramSocket(new InetSocketAddress(rig.eb().ipv4(), 42022)));
             DatagramSocket v6 = rig.b().call(() -> new DatagramSocket(new InetSocketAddress(rig.eb().ipv6(), 42032)))) {
            assertThat(v4.isBound() && v6.isBound()).isTrue();
            rig.events();
            KernelCounters before = settled(rig.program());
            for (int i = 0; i < 3; i++) {
                rig.sender().send(rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).rawL4(IPPROTO_TCP, new byte[5]).build());
            }
            for (int i = 0; i < 4; i++) {
                rig.sender().send(rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).udp(42021, 42022).payload(new byte[200]).build());
            }
            for (int i = 0; i < 2; i++) {
                var b = rig.frame().ipv6(rig.ea().ipv6(), rig.eb().ipv6());
                for (int h = 0; h < 7; h++) {
                    b.destinationOptions();
                }
                rig.sender().send(b.udp(42031, 42032).build());
            }
            for (int i = 0; i < 5; i++) {
                rig.sender().send(rig.frame().nonIp(0x88b5).payload(new byte[46]).build());
            }
            KernelCounters d = settled(rig.program()).minus(before);

            assertThat(d.truncated()).isEqualTo(3);
            assertThat(d.snapCut()).as("snap cut records: %s", rig.events().matching(e -> e.hasFlag(EventLayout.PF_SNAP_CUT)))
                    .isEqualTo(4);
            assertThat(d.ipv6ExtLimit()).isEqualTo(2);
            // B's ARP traffic for its ICMP errors is non-IP too.
            assertThat(d.nonIp()).isGreaterThanOrEqualTo(5);
            assertThat(d.loadFailed()).isZero();
            assertThat(d.seen()).isEqualTo(d.submitted() + d.ringbufFull());
        }
    }

    @Test
    void shouldAccountForEveryPacketAsFilteredSampledOutSubmittedOrLostToAFullRing() throws Exception {
        int rate = 4;
        int page = CaptureConfig.pageSize();
        CaptureConfig config = new CaptureConfig(128, page, 0).withSampleRate(rate).withKeep(false, false);
        try (QuietRig rig = QuietRig.start(config)) {
            rig.program().filters().denyPort(7777);
            InetAddress src = InetAddress.getByName("198.18.0.1");
            InetAddress dst = InetAddress.getByName("198.18.0.2");
            byte[] payload = new byte[40];
            long selected = 0;
            KernelCounters before = rig.settledCounters();
            // Nothing reads the ring during the burst: it fills, and the rest of the kept packets are lost to it.
            for (int i = 0; i < 1000; i++) {
                int dport = i % 10 < 3 ? 7777 : 8888;
                rig.send(rig.frame().ipv4(src, dst).ipId(i).udp(5000, dport).payload(payload).build());
                long h = PacketHash.hash(4, IPPROTO_UDP, src.getAddress(), 0, dst.getAddress(), 0, 4, 5000, dport, i, 0, 0, 0,
                        0, 0, 0, 0, 0, 0, payload.length, 0);
                if (dport != 7777 && PacketHash.keep(h, rate)) {
                    selected++;
                }
            }
            KernelCounters d = rig.settledCounters().minus(before);
            List<RawEvent> read = new ArrayList<>();
            RingBufferReader reader = rig.program().ringReader();
            while (reader.drain((data, o, l) -> read.add(RawEvent.read(data, o, l)), 1000) > 0) {
                // drain everything
            }

            assertThat(d.seen()).isEqualTo(1000);
            assertThat(d.filtered()).isEqualTo(300);
            assertThat(d.sampledOut()).isEqualTo(700 - selected);
            assertThat(d.kept()).isEqualTo(selected);
            assertThat(d.ringbufFull()).as("the one-page ring overflowed").isPositive();
            assertThat(d.seen()).isEqualTo(d.filtered() + d.sampledOut() + d.submitted() + d.ringbufFull());
            assertThat((long) read.size()).as("records read = submitted").isEqualTo(d.submitted());
            assertThat(read).allSatisfy(e -> {
                assertThat(e.dport()).isEqualTo(8888);
                assertThat(PacketHash.keep(e.packetHash(), rate)).isTrue();
            });
        }
    }
}
