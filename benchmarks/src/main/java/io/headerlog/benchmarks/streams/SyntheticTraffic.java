package io.headerlog.benchmarks.streams;

import io.headerlog.collector.decode.CommunityId;
import io.headerlog.schema.Http;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import io.headerlog.schema.TraceContext;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * TCP connections across three synthetic hosts in a chain — client, router (forwarding), server —
 * as their collectors would log them: every packet is seen four times (leaving the client or server,
 * arriving at and leaving the router, arriving at the other end) with one label (packetHash) and
 * one Community ID, TTL one lower after the router. Every connection starts with a handshake (clock
 * samples for the clock model); every other one carries two HTTP requests on one keep-alive
 * connection (one with a traceparent), the others a bulk transfer of full-size segments.
 *
 * <p>The hosts' clocks agree (no skew): in the latency phase a record's capture timestamp is then
 * the true time it was captured. Labels are random (not the collector's field hash): what the
 * stream needs is that all four sightings of a packet carry the same one and other packets another.
 * Deterministic for a seed.
 */
final class SyntheticTraffic {
    static final String CLIENT = "bench-client";
    static final String ROUTER = "bench-router";
    static final String SERVER = "bench-server";
    // one-way delays of the two links and the router's forwarding time, true time
    private static final long LINK_NS = 40_000;
    private static final long FORWARD_NS = 20_000;
    private static final long BOOT_NS = 1_000_000_000_000L; // mono clock = wall clock - this
    private static final byte[] CLIENT_IP = {(byte) 198, 18, 1, 1};
    private static final byte[] SERVER_IP = {(byte) 198, 18, 2, 1};
    private static final int HTTP_PORT = 80;
    private static final int BULK_PORT = 5201;
    private static final int SEGMENT = 1448;

    /** One record and the key the collector publishes it under (the flow's Community ID). */
    record Sighting(String key, PacketHeader header) {
    }

    private final Random random;
    private final CommunityId communityId = new CommunityId();
    private int connections;

    SyntheticTraffic(long seed) {
        this.random = new Random(seed);
    }

    /** Sightings per packet: client or server, the router twice, the other end. */
    static int sightingsPerPacket() {
        return 4;
    }

    /**
     * The next connection's sightings in capture-time order, its first packet leaving at
     * {@code startNs} (epoch ns) and each following one {@code packetGapNs} later.
     */
    List<Sighting> nextConnection(long startNs, long packetGapNs) {
        int n = connections++;
        boolean http = n % 2 == 0;
        Connection c = new Connection(n, 10_000 + n % 50_000, http ? HTTP_PORT : BULK_PORT, startNs, packetGapNs);
        c.packet(true, 2, 0, null);           // SYN
        c.packet(false, 18, 0, null);         // SYN-ACK
        c.packet(true, 16, 0, null);          // ACK
        if (http) {
            for (int r = 0; r < 2; r++) {
                c.packet(true, 24, 120, request(n, r));
                c.packet(false, 24, 180, response());
                c.packet(true, 16, 0, null);
            }
        } else {
            for (int s = 0; s < 8; s++) {
                c.packet(false, 16, SEGMENT, null);
                if (s % 2 == 1) {
                    c.packet(true, 16, 0, null);
                }
            }
        }
        c.packet(true, 17, 0, null);          // FIN,ACK
        c.packet(false, 17, 0, null);
        c.packet(true, 16, 0, null);
        return c.sightings;
    }

    private static Http request(int connection, int index) {
        Http.Builder b = Http.newBuilder().setMethod("GET").setTarget("/api/items/" + connection + "?r=" + index)
                .setVersion("HTTP/1.1").setHost("svc.bench.hl").setUserAgent("bench/1.0")
                .setRequestId("bench-" + connection + "-" + index).setHeaderBytes(120).setSegments(1).setTruncated(false)
                .setHeadersDropped(0);
        if (index == 0) {
            String trace = HexFormat.of().toHexDigits((long) connection) + HexFormat.of().toHexDigits(0x5eedL);
            b.setTraceparent(TraceContext.newBuilder().setVersion(0).setTraceId(trace)
                    .setParentId(HexFormat.of().toHexDigits((long) connection + 1)).setFlags(1).build());
        }
        return b.build();
    }

    private static Http response() {
        return Http.newBuilder().setVersion("HTTP/1.1").setStatusCode(200).setReason("OK")
                .setContentType("application/json").setContentLength(60L).setHeaderBytes(120).setSegments(1)
                .setTruncated(false).setHeadersDropped(0).build();
    }

    private final class Connection {
        final List<Sighting> sightings = new ArrayList<>();
        final int clientPort;
        final int serverPort;
        final String key;
        final long packetGapNs;
        long nextNs;
        long clientSeq;
        long serverSeq;
        int ipId;

        Connection(int n, int clientPort, int serverPort, long startNs, long packetGapNs) {
            this.clientPort = clientPort;
            this.serverPort = serverPort;
            this.key = communityId.flow(CLIENT_IP, 0, SERVER_IP, 0, 4, CommunityId.PROTO_TCP, true, clientPort, serverPort);
            this.nextNs = startNs;
            this.packetGapNs = packetGapNs;
            this.clientSeq = random.nextInt() & 0xffffffffL;
            this.serverSeq = random.nextInt() & 0xffffffffL;
            this.ipId = n * 64;
        }

        /** One packet in one direction, seen at its four capture points. */
        void packet(boolean fromClient, int flags, int payload, Http http) {
            long label = random.nextLong();
            long t = nextNs;
            nextNs += packetGapNs;
            long seq = fromClient ? clientSeq : serverSeq;
            long ack = fromClient ? serverSeq : clientSeq;
            long advance = payload + ((flags & (2 | 1)) != 0 ? 1 : 0);
            if (fromClient) {
                clientSeq = (clientSeq + advance) & 0xffffffffL;
            } else {
                serverSeq = (serverSeq + advance) & 0xffffffffL;
            }
            int id = ipId++ & 0xffff;
            String first = fromClient ? CLIENT : SERVER;
            String last = fromClient ? SERVER : CLIENT;
            // the router's interface towards the sender, then towards the receiver
            String in = fromClient ? "r-client" : "r-server";
            String out = fromClient ? "r-server" : "r-client";
            add(first, "eth0", 2, "egress", t, 64, fromClient, flags, seq, ack, payload, http, label, id);
            add(ROUTER, in, fromClient ? 3 : 4, "ingress", t + LINK_NS, 64, fromClient, flags, seq, ack, payload, http, label, id);
            add(ROUTER, out, fromClient ? 4 : 3, "egress", t + LINK_NS + FORWARD_NS, 63, fromClient, flags, seq, ack, payload,
                    http, label, id);
            add(last, "eth0", 2, "ingress", t + 2 * LINK_NS + FORWARD_NS, 63, fromClient, flags, seq, ack, payload, http, label,
                    id);
        }

        private void add(String host, String ifName, int ifIndex, String direction, long captureNs, int ttl,
                boolean fromClient, int flags, long seq, long ack, int payload, Http http, long label, int ipId) {
            int ipLength = 20 + 32 + payload;
            PacketHeader h = PacketHeader.newBuilder()
                    .setHost(host).setIfName(ifName).setIfIndex(ifIndex).setDirection(direction)
                    .setMonoTimeNs(captureNs - BOOT_NS).setCaptureTimeNs(captureNs)
                    .setPacketLength(14 + ipLength).setGsoSegs(1).setPayloadLength(payload)
                    .setCapturedPayloadLength(Math.min(payload, 512)).setParseFlags(List.of())
                    .setIp(Ip.newBuilder().setVersion(4).setSrc(fromClient ? "198.18.1.1" : "198.18.2.1")
                            .setDst(fromClient ? "198.18.2.1" : "198.18.1.1").setProtocol(6).setTtl(ttl).setDscp(0).setEcn(0)
                            .setIpId((long) ipId).setTotalLength(ipLength).setDontFragment(true).setMoreFragments(false)
                            .setFragmentOffset(0).build())
                    .setTcp(Tcp.newBuilder().setSrcPort(fromClient ? clientPort : serverPort)
                            .setDstPort(fromClient ? serverPort : clientPort).setSeq(seq).setAck((flags & 16) != 0 ? ack : 0L)
                            .setFlags(flags).setFlagNames(flagNames(flags)).setWindow(502).setHeaderLength(32)
                            .setOptions(TcpOptions.newBuilder().setTsVal(captureNs / 1_000_000 & 0xffffffffL).setTsEcr(0L).build())
                            .build())
                    .setHttp(http)
                    .setCommunityId(key).setPacketHash(label).setSampleRate(1)
                    .build();
            sightings.add(new Sighting(key, h));
        }
    }

    private static String flagNames(int flags) {
        List<String> names = new ArrayList<>();
        if ((flags & 1) != 0) {
            names.add("FIN");
        }
        if ((flags & 2) != 0) {
            names.add("SYN");
        }
        if ((flags & 8) != 0) {
            names.add("PSH");
        }
        if ((flags & 16) != 0) {
            names.add("ACK");
        }
        return String.join(",", names);
    }
}
