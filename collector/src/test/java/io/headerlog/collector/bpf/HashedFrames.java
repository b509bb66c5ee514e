package io.headerlog.collector.bpf;

import static io.headerlog.testing.Protocols.*;

import io.headerlog.collector.decode.PacketHash;
import io.headerlog.testing.PacketBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random but reproducible frames for the packet-hash tests, each with the label {@link PacketHash}
 * computes from the fields the frame was built from (not from a record): IPv4 and IPv6; TCP (with and
 * without timestamps, any flags), UDP, ICMP echo and error messages, non-first fragments of both
 * families, an IPv6 first fragment, IPv6 with extension headers, an unparsed protocol; payloads from
 * empty through shorter than the 8 hashed bytes to several hundred bytes. Addresses are in
 * 198.18.0.0/15 and fd00::/8.
 */
final class HashedFrames {

    /** One frame and the label the kernel must give it. */
    record Frame(byte[] bytes, long hash, String kind, int ipVersion, int protocol, int tcpFlags) {}

    private final Random random;
    private final Supplier<PacketBuilder> ethernet;

    HashedFrames(long seed, Supplier<PacketBuilder> ethernet) {
        this.random = new Random(seed);
        this.ethernet = ethernet;
    }

    List<Frame> next(int count) {
        List<Frame> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(next());
        }
        return out;
    }

    Frame next() {
        boolean v6 = random.nextBoolean();
        byte[] src = address(v6);
        byte[] dst = address(v6);
        PacketBuilder b = ethernet.get();
        try {
            if (v6) {
                b.ipv6(InetAddress.getByAddress(src), InetAddress.getByAddress(dst));
            } else {
                b.ipv4(InetAddress.getByAddress(src), InetAddress.getByAddress(dst));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        // TTL, TOS and flow label vary but are not hashed: they may change on the way.
        b.ttl(1 + random.nextInt(255)).tos(random.nextInt(256));
        if (v6) {
            b.flowLabel(random.nextInt(1 << 20));
        }
        int ipId = v6 ? 0 : random.nextInt(1 << 16);
        if (!v6) {
            b.ipId(ipId);
        }
        byte[] payload = payload();
        int kind = random.nextInt(100);
        if (kind < 45) {
            return tcp(b, v6, src, dst, ipId, payload);
        }
        if (kind < 70) {
            int sport = random.nextInt(1 << 16);
            int dport = random.nextInt(1 << 16);
            b.udp(sport, dport).payload(payload);
            long h = PacketHash.hash(v6 ? 6 : 4, IPPROTO_UDP, src, 0, dst, 0, src.length, sport, dport, ipId, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, payload.length, prefix(payload));
            return new Frame(b.build(), h, "udp", v6 ? 6 : 4, IPPROTO_UDP, 0);
        }
        if (kind < 85) {
            return icmp(b, v6, src, dst, ipId, payload);
        }
        return fragmentOrOther(b, v6, src, dst, ipId, payload);
    }

    private Frame tcp(PacketBuilder b, boolean v6, byte[] src, byte[] dst, int ipId, byte[] payload) {
        int sport = random.nextInt(1 << 16);
        int dport = random.nextInt(1 << 16);
        long seq = random.nextInt() & 0xffffffffL;
        long ack = random.nextInt() & 0xffffffffL;
        int flags = random.nextInt(0x200);
        long tsVal = 0;
        long tsEcr = 0;
        b.tcp(sport, dport).seq(seq).ack(ack).flags(flags).window(random.nextInt(1 << 16));
        if (random.nextBoolean()) {
            tsVal = random.nextInt() & 0xffffffffL;
            tsEcr = random.nextInt() & 0xffffffffL;
            b.nop().nop().timestamps(tsVal, tsEcr);
        }
        if (v6 && random.nextInt(4) == 0) {
            b.hopByHop();
        }
        b.payload(payload);
        long h = PacketHash.hash(v6 ? 6 : 4, IPPROTO_TCP, src, 0, dst, 0, src.length, sport, dport, ipId, seq, ack, flags,
                tsVal, tsEcr, 0, 0, 0, 0, payload.length, prefix(payload));
        return new Frame(b.build(), h, "tcp", v6 ? 6 : 4, IPPROTO_TCP, flags);
    }

    private Frame icmp(PacketBuilder b, boolean v6, byte[] src, byte[] dst, int ipId, byte[] payload) {
        int proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
        int id = random.nextInt(1 << 16);
        int seq = random.nextInt(1 << 16);
        boolean echo = random.nextBoolean();
        int type;
        int code;
        if (echo) {
            type = v6 ? 128 + random.nextInt(2) : random.nextBoolean() ? 8 : 0;
            code = 0;
        } else {
            // Destination unreachable: id and sequence bytes are "unused" there and not hashed.
            type = v6 ? 1 : 3;
            code = random.nextInt(5);
        }
        b.icmp(type, code, id, seq).payload(payload);
        long h = PacketHash.hash(v6 ? 6 : 4, proto, src, 0, dst, 0, src.length, 0, 0, ipId, 0, 0, 0, 0, 0, type, code,
                echo ? id : 0, echo ? seq : 0, payload.length, prefix(payload));
        return new Frame(b.build(), h, echo ? "icmp-echo" : "icmp-error", v6 ? 6 : 4, proto, 0);
    }

    private Frame fragmentOrOther(PacketBuilder b, boolean v6, byte[] src, byte[] dst, int ipId, byte[] payload) {
        int choice = random.nextInt(3);
        if (choice == 0) {
            // A non-first fragment: no L4 header, the fragment data is the payload.
            int offset = 1 + random.nextInt(1000);
            long fragId = v6 ? random.nextInt() & 0xffffffffL : ipId;
            int proto = random.nextBoolean() ? IPPROTO_TCP : IPPROTO_UDP;
            if (v6) {
                b.ipv6Fragment(fragId, offset, random.nextBoolean());
            } else {
                b.ipv4Fragment(offset, random.nextBoolean());
            }
            b.rawL4(proto, payload);
            long h = PacketHash.hash(v6 ? 6 : 4, proto, src, 0, dst, 0, src.length, 0, 0, fragId, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    payload.length, prefix(payload));
            return new Frame(b.build(), h, "fragment", v6 ? 6 : 4, proto, 0);
        }
        if (choice == 1 && v6) {
            // A first fragment carries the L4 header: ports are parsed and the identification is hashed.
            long fragId = random.nextInt() & 0xffffffffL;
            int sport = random.nextInt(1 << 16);
            int dport = random.nextInt(1 << 16);
            b.ipv6Fragment(fragId, 0, true).udp(sport, dport).payload(payload);
            long h = PacketHash.hash(6, IPPROTO_UDP, src, 0, dst, 0, 16, sport, dport, fragId, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    payload.length, prefix(payload));
            return new Frame(b.build(), h, "first-fragment", 6, IPPROTO_UDP, 0);
        }
        // A protocol the kernel does not parse (GRE): everything after the IP header is payload.
        b.rawL4(47, payload);
        long h = PacketHash.hash(v6 ? 6 : 4, 47, src, 0, dst, 0, src.length, 0, 0, ipId, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                payload.length, prefix(payload));
        return new Frame(b.build(), h, "gre", v6 ? 6 : 4, 47, 0);
    }

    private byte[] address(boolean v6) {
        byte[] a;
        if (v6) {
            a = new byte[16];
            random.nextBytes(a);
            a[0] = (byte) 0xfd;
        } else {
            a = new byte[4];
            random.nextBytes(a);
            a[0] = (byte) 198;
            a[1] = (byte) (18 + random.nextInt(2));
        }
        return a;
    }

    /** Empty, shorter than the 8 hashed bytes, a little longer, or up to 600 bytes. */
    private byte[] payload() {
        int r = random.nextInt(10);
        int len = r < 2 ? 0 : r < 5 ? 1 + random.nextInt(7) : r < 8 ? 8 + random.nextInt(40) : random.nextInt(600);
        byte[] p = new byte[len];
        random.nextBytes(p);
        return p;
    }

    private static long prefix(byte[] payload) {
        return PacketHash.prefixWord(payload, 0, payload.length, payload.length);
    }
}
