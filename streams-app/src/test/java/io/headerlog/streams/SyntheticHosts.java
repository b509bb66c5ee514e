package io.headerlog.streams;

import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test hosts with clocks that disagree by known amounts: each host reads
 * {@code true time + offset + drift · (true time − start)}, and a TCP handshake between two of them
 * yields the four PacketHeader records the two collectors would log (SYN leaving the client and
 * reaching the server, SYN-ACK back), with one-way delays of about 100 µs.
 */
final class SyntheticHosts {
    static final long START_NS = 1_772_366_400_000_000_000L;

    private record Clock(long offsetNs, double driftPpm) {
        long read(long trueNs) {
            return trueNs + offsetNs + Math.round(driftPpm * 1e-6 * (trueNs - START_NS));
        }
    }

    /** One handshake's records, in the order the collectors would publish them, and its true times. */
    record Handshake(String flow, List<PacketHeader> records, long synSentTrueNs, long synArrivedTrueNs) {
    }

    private final Map<String, Clock> clocks = new HashMap<>();
    private final Random random = new Random(42);
    private int port = 40000;

    SyntheticHosts host(String id, long offsetNs, double driftPpm) {
        clocks.put(id, new Clock(offsetNs, driftPpm));
        return this;
    }

    /** Steps a host's clock by {@code stepNs} from now on, as an NTP step would. */
    void step(String id, long stepNs) {
        Clock c = clocks.get(id);
        clocks.put(id, new Clock(c.offsetNs + stepNs, c.driftPpm));
    }

    long read(String host, long trueNs) {
        return clocks.get(host).read(trueNs);
    }

    Handshake handshake(String client, String server, long trueNs) {
        int p = port++;
        String flow = "1:flow-" + p;
        long d1 = 80_000 + random.nextInt(40_000);
        long hold = 10_000 + random.nextInt(10_000);
        long d2 = 80_000 + random.nextInt(40_000);
        long synHash = random.nextLong();
        long synAckHash = random.nextLong();
        List<PacketHeader> out = new ArrayList<>();
        out.add(tcp(client, "egress", read(client, trueNs), 2, p, synHash, flow));
        out.add(tcp(server, "ingress", read(server, trueNs + d1), 2, p, synHash, flow));
        out.add(tcp(server, "egress", read(server, trueNs + d1 + hold), 18, p, synAckHash, flow));
        out.add(tcp(client, "ingress", read(client, trueNs + d1 + hold + d2), 18, p, synAckHash, flow));
        return new Handshake(flow, out, trueNs, trueNs + d1);
    }

    static PacketHeader tcp(String host, String direction, long captureNs, int flags, int clientPort, long hash,
            String flow) {
        boolean fromClient = (flags & 16) == 0;
        return PacketHeader.newBuilder()
                .setHost(host).setIfName("veth0").setIfIndex(7).setDirection(direction)
                .setMonoTimeNs(captureNs - 1_700_000_000_000_000_000L).setCaptureTimeNs(captureNs)
                .setPacketLength(74).setGsoSegs(1).setPayloadLength(0).setCapturedPayloadLength(0)
                .setParseFlags(List.of())
                .setIp(Ip.newBuilder().setVersion(4).setSrc(fromClient ? "198.18.0.1" : "198.18.0.2")
                        .setDst(fromClient ? "198.18.0.2" : "198.18.0.1").setProtocol(6).setTtl(64).setDscp(0)
                        .setEcn(0).setIpId(1L).setTotalLength(60).setDontFragment(true).setMoreFragments(false)
                        .setFragmentOffset(0).build())
                .setTcp(Tcp.newBuilder().setSrcPort(fromClient ? clientPort : 80).setDstPort(fromClient ? 80 : clientPort)
                        .setSeq(1000L).setAck(fromClient ? 0L : 1001L).setFlags(flags)
                        .setFlagNames(fromClient ? "SYN" : "SYN,ACK").setWindow(64240).setHeaderLength(40)
                        .setOptions(io.headerlog.schema.TcpOptions.newBuilder().setMss(1460).setWindowScale(7)
                                .setSackPermitted(true).setTsVal(1L).setTsEcr(0L).build())
                        .build())
                .setCommunityId(flow).setPacketHash(hash).setSampleRate(1)
                .build();
    }
}
