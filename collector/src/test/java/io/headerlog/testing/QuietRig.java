package io.headerlog.testing;

import io.headerlog.collector.bpf.CaptureConfig;
import io.headerlog.collector.bpf.CaptureProgram;
import io.headerlog.collector.bpf.Direction;
import io.headerlog.collector.bpf.Interfaces;
import io.headerlog.collector.bpf.KernelCounters;
import io.headerlog.collector.bpf.TcxLink;
import java.util.ArrayList;
import java.util.List;

/**
 * A capture set-up on which only the test's own frames travel, so kernel counters can be checked
 * exactly: one test host with a veth pair {@code hlq0 — hlq1} inside it, no addresses and IPv6 off on
 * both ends (no ARP, neighbour discovery or MLD), frames injected on {@code hlq0} and addressed to a
 * MAC nobody has, so no stack answers them (the receiving end marks them "other host" and drops them
 * after TC ingress). The program runs on hlq1's ingress and, if asked, on hlq0's egress too, where each
 * frame is seen once more on its way out.
 */
public final class QuietRig implements AutoCloseable {

    public static final String SENDER = "hlq0";
    public static final String RECEIVER = "hlq1";
    public static final String SENDER_MAC = "02:48:51:00:00:0a";
    public static final String RECEIVER_MAC = "02:48:51:00:00:0b";
    /** The destination of every frame: a locally administered MAC no interface has. */
    public static final String NOBODY_MAC = "02:48:51:ff:ff:ff";

    private final TestHosts hosts;
    private final CaptureProgram program;
    private final RawPacketSender sender;
    private final int senderIfindex;
    private final int receiverIfindex;
    private final List<TcxLink> links = new ArrayList<>();
    private EventCollector events;

    private QuietRig(TestHosts hosts, CaptureProgram program, RawPacketSender sender, int senderIfindex, int receiverIfindex) {
        this.hosts = hosts;
        this.program = program;
        this.sender = sender;
        this.senderIfindex = senderIfindex;
        this.receiverIfindex = receiverIfindex;
    }

    /** Program on the receiver's ingress only: every frame is seen once. */
    public static QuietRig start(CaptureConfig config) {
        return start(config, false);
    }

    /** With {@code senderEgress}, the program also runs on hlq0's egress: every frame is seen twice. */
    public static QuietRig start(CaptureConfig config, boolean senderEgress) {
        TestHosts hosts = TestHosts.chain(1);
        CaptureProgram program = null;
        RawPacketSender sender = null;
        try {
            Host h = hosts.host(0);
            h.execOrThrow("ip", "link", "add", SENDER, "address", SENDER_MAC, "type", "veth", "peer", "name", RECEIVER,
                    "address", RECEIVER_MAC);
            // Before the links come up, so not even the first MLD report or router solicitation goes out.
            h.sysctl("net.ipv6.conf." + SENDER + ".disable_ipv6", "1");
            h.sysctl("net.ipv6.conf." + RECEIVER + ".disable_ipv6", "1");
            h.execOrThrow("ip", "link", "set", SENDER, "up");
            h.execOrThrow("ip", "link", "set", RECEIVER, "up");
            int[] idx = h.call(() -> new int[] {Interfaces.indexOf(SENDER), Interfaces.indexOf(RECEIVER)});
            program = CaptureProgram.load(config);
            sender = RawPacketSender.open(h.netns(), SENDER);
            QuietRig rig = new QuietRig(hosts, program, sender, idx[0], idx[1]);
            CaptureProgram p = program;
            h.call(() -> {
                rig.links.add(p.attach(idx[1], Direction.INGRESS));
                if (senderEgress) {
                    rig.links.add(p.attach(idx[0], Direction.EGRESS));
                }
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

    public CaptureProgram program() {
        return program;
    }

    public Host host() {
        return hosts.host(0);
    }

    public int senderIfindex() {
        return senderIfindex;
    }

    public int receiverIfindex() {
        return receiverIfindex;
    }

    /** A frame from hlq0 to a MAC nobody has: set the IP and L4 layers and build it. */
    public PacketBuilder frame() {
        return PacketBuilder.ethernet(SENDER_MAC, NOBODY_MAC);
    }

    public void send(byte[] frame) {
        sender.send(frame);
    }

    /** Starts reading the ring on first use. */
    public synchronized EventCollector events() {
        if (events == null) {
            events = new EventCollector(program.ringReader());
        }
        return events;
    }

    /** The kernel counters once no packet is in flight: two readings 200 ms apart agree. */
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

    /** Detaches the program (the maps stay readable until {@link #close}). */
    public void detach() {
        links.forEach(TcxLink::close);
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
}
