package io.headerlog.testing;

import static io.headerlog.testing.Protocols.*;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds exact Ethernet frames — VLAN tags, IPv4 or IPv6 (with extension headers), TCP, UDP, ICMP or
 * ICMPv6, payload — with every length and checksum computed, so a test knows each header field of
 * what it injects.
 *
 * <p>Defaults: TTL/hop limit 64, TOS/traffic class 0, IP ID 0, flow label 0, TCP window 65535.
 * Protocol numbers and TCP flags are in {@link Protocols}.
 */
public final class PacketBuilder {

    private enum L4 { NONE, TCP, UDP, ICMP, RAW }

    private final byte[] dstMac;
    private final byte[] srcMac;
    private final List<int[]> vlans = new ArrayList<>();
    private int ipVersion;
    private int etherType = -1;
    private byte[] ipSrc;
    private byte[] ipDst;
    private int ttl = 64;
    private int tos;
    private int ipId;
    private boolean dontFragment;
    private boolean moreFragments;
    private int fragmentOffset;
    private int flowLabel;
    private final List<byte[]> extHeaders = new ArrayList<>();
    private final List<Integer> extTypes = new ArrayList<>();
    private L4 l4 = L4.NONE;
    private int sport;
    private int dport;
    private long seq;
    private long ack;
    private int tcpFlags;
    private int window = 65535;
    private final ByteArrayOutputStream tcpOptions = new ByteArrayOutputStream();
    private int icmpType;
    private int icmpCode;
    private int icmpId;
    private int icmpSeq;
    private int rawProtocol;
    private byte[] rawL4 = new byte[0];
    private byte[] payload = new byte[0];
    private int truncateTo = -1;

    private PacketBuilder(byte[] srcMac, byte[] dstMac) {
        this.srcMac = srcMac.clone();
        this.dstMac = dstMac.clone();
    }

    public static PacketBuilder ethernet(String srcMac, String dstMac) {
        return new PacketBuilder(mac(srcMac), mac(dstMac));
    }

    /** "02:00:5e:10:00:01" → 6 bytes. */
    /** {@code length} bytes of a recognisable, seed-dependent pattern, for payload checks. */
    public static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    public static byte[] mac(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }

    /** Adds a VLAN tag (outermost first): TPID 0x8100 (802.1Q) or 0x88a8 (802.1ad), priority 0. */
    public PacketBuilder vlan(int tpid, int vid) {
        vlans.add(new int[] {tpid, vid & 0x0fff});
        return this;
    }

    /** A frame that carries no IP: EtherType {@code type}, then only the payload. */
    public PacketBuilder nonIp(int type) {
        etherType = type & 0xffff;
        ipVersion = 0;
        l4 = L4.NONE;
        return this;
    }

    public PacketBuilder ipv4(InetAddress src, InetAddress dst) {
        if (!(src instanceof Inet4Address) || !(dst instanceof Inet4Address)) {
            throw new IllegalArgumentException("ipv4 needs IPv4 addresses, got " + src + " and " + dst);
        }
        ipVersion = 4;
        ipSrc = src.getAddress();
        ipDst = dst.getAddress();
        return this;
    }

    public PacketBuilder ipv6(InetAddress src, InetAddress dst) {
        if (!(src instanceof Inet6Address) || !(dst instanceof Inet6Address)) {
            throw new IllegalArgumentException("ipv6 needs IPv6 addresses, got " + src + " and " + dst);
        }
        ipVersion = 6;
        ipSrc = src.getAddress();
        ipDst = dst.getAddress();
        return this;
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public PacketBuilder ttl(int value) {
        ttl = value & 0xff;
        return this;
    }

    /** IPv4 TOS or IPv6 traffic class (DSCP << 2 | ECN). */
    public PacketBuilder tos(int value) {
        tos = value & 0xff;
        return this;
    }

    public PacketBuilder ipId(int value) {
        ipId = value & 0xffff;
        return this;
    }

    public PacketBuilder dontFragment(boolean df) {
        dontFragment = df;
        return this;
    }

    /** IPv4 fragment fields: offset in 8-byte units and the MF flag. */
    public PacketBuilder ipv4Fragment(int offsetUnits, boolean more) {
        fragmentOffset = offsetUnits & 0x1fff;
        moreFragments = more;
        return this;
    }

    public PacketBuilder flowLabel(int label) {
        flowLabel = label & 0xfffff;
        return this;
    }

    /** An 8-byte hop-by-hop options header holding one PadN option. */
    public PacketBuilder hopByHop() {
        return extension(IPPROTO_HOPOPTS, new byte[] {0, 0, 1, 4, 0, 0, 0, 0});
    }

    /** An 8-byte destination options header holding one PadN option. */
    public PacketBuilder destinationOptions() {
        return extension(IPPROTO_DSTOPTS, new byte[] {0, 0, 1, 4, 0, 0, 0, 0});
    }

    /** An 8-byte routing header of experimental type 253 with no segments left (RFC 8200 4.4: ignored). */
    public PacketBuilder routingHeader() {
        return extension(IPPROTO_ROUTING, new byte[] {0, 0, (byte) 253, 0, 0, 0, 0, 0});
    }

    /** An IPv6 fragment header: identification, offset in 8-byte units, M flag. */
    public PacketBuilder ipv6Fragment(long identification, int offsetUnits, boolean more) {
        int fo = ((offsetUnits & 0x1fff) << 3) | (more ? 1 : 0);
        byte[] h = {0, 0, (byte) (fo >>> 8), (byte) fo,
            (byte) (identification >>> 24), (byte) (identification >>> 16), (byte) (identification >>> 8), (byte) identification};
        return extension(IPPROTO_FRAGMENT, h);
    }

    private PacketBuilder extension(int type, byte[] header) {
        extTypes.add(type);
        extHeaders.add(header);
        return this;
    }

    public PacketBuilder tcp(int sourcePort, int destPort) {
        l4 = L4.TCP;
        sport = sourcePort;
        dport = destPort;
        return this;
    }

    public PacketBuilder seq(long value) {
        seq = value & 0xffffffffL;
        return this;
    }

    public PacketBuilder ack(long value) {
        ack = value & 0xffffffffL;
        return this;
    }

    /** TCP_* flags; TH_AE sets the low bit of the data offset byte. */
    public PacketBuilder flags(int value) {
        tcpFlags = value & 0x1ff;
        return this;
    }

    public PacketBuilder window(int value) {
        window = value & 0xffff;
        return this;
    }

    public PacketBuilder mss(int value) {
        return tcpOption(2, (value >>> 8) & 0xff, value & 0xff);
    }

    public PacketBuilder windowScale(int shift) {
        return tcpOption(3, shift & 0xff);
    }

    public PacketBuilder sackPermitted() {
        return tcpOption(4);
    }

    public PacketBuilder timestamps(long value, long echoReply) {
        return tcpOption(8, (int) (value >>> 24) & 0xff, (int) (value >>> 16) & 0xff, (int) (value >>> 8) & 0xff,
                (int) value & 0xff, (int) (echoReply >>> 24) & 0xff, (int) (echoReply >>> 16) & 0xff,
                (int) (echoReply >>> 8) & 0xff, (int) echoReply & 0xff);
    }

    public PacketBuilder nop() {
        tcpOptions.write(1);
        return this;
    }

    /** Appends option {@code kind} with its length byte and {@code data}, in call order. */
    public PacketBuilder tcpOption(int kind, int... data) {
        tcpOptions.write(kind);
        tcpOptions.write(data.length + 2);
        for (int d : data) {
            tcpOptions.write(d);
        }
        return this;
    }

    public PacketBuilder udp(int sourcePort, int destPort) {
        l4 = L4.UDP;
        sport = sourcePort;
        dport = destPort;
        return this;
    }

    /** ICMP (IPv4) or ICMPv6 header; id and sequence fill the second word (echo messages). */
    public PacketBuilder icmp(int type, int code, int id, int sequence) {
        l4 = L4.ICMP;
        icmpType = type;
        icmpCode = code;
        icmpId = id & 0xffff;
        icmpSeq = sequence & 0xffff;
        return this;
    }

    /** Echo request: ICMP type 8, or ICMPv6 type 128 when the packet is IPv6. */
    public PacketBuilder echoRequest(int id, int sequence) {
        return icmp(ipVersion == 6 ? 128 : 8, 0, id, sequence);
    }

    /** L4 bytes sent as they are (no checksum): a truncated header or the data of a non-first fragment. */
    public PacketBuilder rawL4(int protocol, byte[] bytes) {
        l4 = L4.RAW;
        rawProtocol = protocol;
        rawL4 = bytes.clone();
        return this;
    }

    public PacketBuilder payload(byte[] bytes) {
        payload = bytes.clone();
        return this;
    }

    /** Cuts the finished frame to this many bytes (lengths in the headers keep their full values). */
    public PacketBuilder truncateTo(int frameLength) {
        truncateTo = frameLength;
        return this;
    }

    /** Offset of the L4 header in the frame. */
    public int l4Offset() {
        int ext = extHeaders.stream().mapToInt(h -> h.length).sum();
        return 14 + 4 * vlans.size() + (ipVersion == 6 ? 40 + ext : ipVersion == 4 ? 20 : 0);
    }

    public byte[] build() {
        if (ipVersion == 0 && etherType < 0) {
            throw new IllegalStateException("set ipv4(...), ipv6(...) or nonIp(...) first");
        }
        byte[] l4Bytes = l4Bytes();
        byte[] l3 = ipVersion == 4 ? ipv4Header(l4Bytes.length) : ipVersion == 6 ? ipv6Headers(l4Bytes.length) : new byte[0];
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(dstMac);
        frame.writeBytes(srcMac);
        for (int[] tag : vlans) {
            put16(frame, tag[0]);
            put16(frame, tag[1]);
        }
        put16(frame, ipVersion == 4 ? ETH_P_IP : ipVersion == 6 ? ETH_P_IPV6 : etherType);
        frame.writeBytes(l3);
        frame.writeBytes(l4Bytes);
        byte[] out = frame.toByteArray();
        return truncateTo >= 0 && truncateTo < out.length ? Arrays.copyOf(out, truncateTo) : out;
    }

    private int l4Protocol() {
        return switch (l4) {
            case TCP -> IPPROTO_TCP;
            case UDP -> IPPROTO_UDP;
            case ICMP -> ipVersion == 6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
            case RAW -> rawProtocol;
            case NONE -> ipVersion == 6 ? 59 : 255; // IPv6 "no next header"; IPv4 "reserved"
        };
    }

    private byte[] l4Bytes() {
        byte[] h;
        switch (l4) {
            case TCP -> {
                byte[] opts = tcpOptions.toByteArray();
                int optLen = (opts.length + 3) & ~3;
                h = new byte[20 + optLen + payload.length];
                put16(h, 0, sport);
                put16(h, 2, dport);
                put32(h, 4, seq);
                put32(h, 8, ack);
                h[12] = (byte) ((((20 + optLen) / 4) << 4) | ((tcpFlags >>> 8) & 1));
                h[13] = (byte) tcpFlags;
                put16(h, 14, window);
                System.arraycopy(opts, 0, h, 20, opts.length);
                System.arraycopy(payload, 0, h, 20 + optLen, payload.length);
                put16(h, 16, l4Checksum(h));
            }
            case UDP -> {
                h = new byte[8 + payload.length];
                put16(h, 0, sport);
                put16(h, 2, dport);
                put16(h, 4, h.length);
                System.arraycopy(payload, 0, h, 8, payload.length);
                int c = l4Checksum(h);
                put16(h, 6, c == 0 ? 0xffff : c); // 0 means "no checksum" in UDP
            }
            case ICMP -> {
                h = new byte[8 + payload.length];
                h[0] = (byte) icmpType;
                h[1] = (byte) icmpCode;
                put16(h, 4, icmpId);
                put16(h, 6, icmpSeq);
                System.arraycopy(payload, 0, h, 8, payload.length);
                put16(h, 2, ipVersion == 6 ? l4Checksum(h) : Checksums.checksum(h, 0, h.length));
            }
            case RAW -> {
                h = new byte[rawL4.length + payload.length];
                System.arraycopy(rawL4, 0, h, 0, rawL4.length);
                System.arraycopy(payload, 0, h, rawL4.length, payload.length);
            }
            default -> h = payload.clone();
        }
        return h;
    }

    private int l4Checksum(byte[] l4Bytes) {
        long sum = Checksums.pseudoHeaderSum(ipSrc, ipDst, l4Protocol(), l4Bytes.length) + Checksums.sum(l4Bytes, 0, l4Bytes.length);
        return Checksums.finish(sum);
    }

    private byte[] ipv4Header(int l4Length) {
        byte[] h = new byte[20];
        h[0] = 0x45;
        h[1] = (byte) tos;
        put16(h, 2, 20 + l4Length);
        put16(h, 4, ipId);
        put16(h, 6, (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | fragmentOffset);
        h[8] = (byte) ttl;
        h[9] = (byte) l4Protocol();
        System.arraycopy(ipSrc, 0, h, 12, 4);
        System.arraycopy(ipDst, 0, h, 16, 4);
        put16(h, 10, Checksums.checksum(h, 0, 20));
        return h;
    }

    private byte[] ipv6Headers(int l4Length) {
        int extLength = extHeaders.stream().mapToInt(x -> x.length).sum();
        byte[] h = new byte[40 + extLength];
        long first = (6L << 28) | ((long) tos << 20) | flowLabel;
        put32(h, 0, first);
        put16(h, 4, extLength + l4Length);
        h[6] = (byte) (extHeaders.isEmpty() ? l4Protocol() : extTypes.get(0));
        h[7] = (byte) ttl;
        System.arraycopy(ipSrc, 0, h, 8, 16);
        System.arraycopy(ipDst, 0, h, 24, 16);
        int at = 40;
        for (int i = 0; i < extHeaders.size(); i++) {
            byte[] x = extHeaders.get(i).clone();
            x[0] = (byte) (i + 1 < extHeaders.size() ? extTypes.get(i + 1) : l4Protocol());
            System.arraycopy(x, 0, h, at, x.length);
            at += x.length;
        }
        return h;
    }

    private static void put16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
