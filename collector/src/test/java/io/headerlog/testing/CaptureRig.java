package io.headerlog.testing;

import io.headerlog.collector.bpf.CaptureConfig;
import io.headerlog.collector.bpf.CaptureProgram;
import io.headerlog.collector.bpf.Direction;
import io.headerlog.collector.bpf.KernelCounters;
import io.headerlog.collector.bpf.TcxLink;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The standard kernel test set-up: two test hosts A and B joined by a veth pair, the capture program
 * loaded and attached (ingress and egress) to B's veth end, and a raw sender on A's end. Records are
 * read by an {@link EventCollector} started on first use of {@link #events()}.
 */
public final class CaptureRig implements AutoCloseable {

    private final TestHosts hosts;
    private final CaptureProgram program;
    private final List<TcxLink> links = new ArrayList<>();
    private final RawPacketSender sender;
    private EventCollector events;

    private CaptureRig(TestHosts hosts, CaptureProgram program, RawPacketSender sender) {
        this.hosts = hosts;
        this.program = program;
        this.sender = sender;
    }

    public static CaptureRig start(CaptureConfig config) {
        return start(config, 1500);
    }

    /** With both veth ends set to {@code mtu} (jumbo frames need more than 1500). */
    public static CaptureRig start(CaptureConfig config, int mtu) {
        TestHosts hosts = TestHosts.pair();
        CaptureProgram program = null;
        RawPacketSender sender = null;
        try {
            TestHosts.Link link = hosts.link(0);
            if (mtu != 1500) {
                hosts.host(0).execOrThrow("ip", "link", "set", link.a().name(), "mtu", Integer.toString(mtu));
                hosts.host(1).execOrThrow("ip", "link", "set", link.b().name(), "mtu", Integer.toString(mtu));
            }
            program = CaptureProgram.load(config);
            sender = RawPacketSender.open(link.a().netns(), link.a().name());
            CaptureRig rig = new CaptureRig(hosts, program, sender);
            CaptureProgram p = program;
            hosts.host(1).call(() -> {
                rig.links.add(p.attach(link.b().ifindex(), Direction.INGRESS));
                rig.links.add(p.attach(link.b().ifindex(), Direction.EGRESS));
                return null;
            });
            return rig;
        } catch (RuntimeException | Error e) {
            if (sender != null) {
                sender.close();
            }
            if (program != null) {
                program.close();
            }
            hosts.close();
            throw e;
        }
    }

    public TestHosts hosts() {
        return hosts;
    }

    /** Host A: the sender side. */
    public Host a() {
        return hosts.host(0);
    }

    /** Host B: where the capture program is attached. */
    public Host b() {
        return hosts.host(1);
    }

    public TestHosts.Endpoint ea() {
        return hosts.link(0).a();
    }

    public TestHosts.Endpoint eb() {
        return hosts.link(0).b();
    }

    public CaptureProgram program() {
        return program;
    }

    /** The ingress and egress links on B's veth end. */
    public List<TcxLink> links() {
        return List.copyOf(links);
    }

    public RawPacketSender sender() {
        return sender;
    }

    /** A frame from A's veth end to B's. */
    public PacketBuilder frame() {
        return PacketBuilder.ethernet(ea().mac(), eb().mac());
    }

    /** Starts reading the ring on first use. */
    public synchronized EventCollector events() {
        if (events == null) {
            events = new EventCollector(program.ringReader());
        }
        return events;
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                if (events != null) {
                    events.close();
                }
            }
            sender.close();
            program.close();
        } finally {
            hosts.close();
        }
    }

    /**
     * The kernel counters once no packet is in flight: two readings 200 ms apart agree. Take one before
     * and one after the traffic of a test and compare with {@link KernelCounters#minus}.
     */
    public KernelCounters settledCounters() {
        KernelCounters before = program.readCounters();
        while (true) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the counters to settle", e);
            }
            KernelCounters now = program.readCounters();
            if (now.equals(before)) {
                return now;
            }
            before = now;
        }
    }

    /** Injects {@code frame} from host A and waits for B's ingress record that matches. */
    public RawEvent sendAndCapture(byte[] frame, Predicate<RawEvent> ingressMatch, Duration timeout) {
        sender.send(frame);
        return events().awaitOne(e -> e.ingress() && ingressMatch.test(e), timeout);
    }

    /** The Ethernet fields of a frame A sent to B, as B's ingress hook saw it. */
    public void assertEthernetFromAToB(RawEvent e, int etherType) {
        assertThat(e.ethSrc()).isEqualTo(ea().macBytes());
        assertThat(e.ethDst()).isEqualTo(eb().macBytes());
        assertThat(e.ethType()).isEqualTo(etherType);
        assertThat(e.ifindex()).isEqualTo(eb().ifindex());
    }
}
