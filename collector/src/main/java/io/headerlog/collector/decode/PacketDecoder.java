package io.headerlog.collector.decode;

import static io.headerlog.collector.bpf.EventLayout.*;

import io.headerlog.collector.bpf.Direction;
import io.headerlog.collector.time.WallClock;
import io.headerlog.schema.Ethernet;
import io.headerlog.schema.GeneratedSchemas;
import io.headerlog.schema.Icmp;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import io.headerlog.schema.Udp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Turns one ring buffer record ({@code struct hl_event} + payload prefix, see bpf/capture.h) into a
 * {@link PacketHeader}. The kernel already parsed L2–L4; this class maps those fields to the Avro
 * contract, derives the Community ID and converts the capture time to the wall clock. The payload
 * prefix is left to the application layer (see {@link DecodedPacket}).
 *
 * <p>Not thread-safe (reuses scratch buffers); one instance per reader thread.
 */
public final class PacketDecoder {

    static {
        GeneratedSchemas.trust();
    }

    private final String host;
    private final IntFunction<String> ifNames;
    private final WallClock clock;
    private final CommunityId communityId = new CommunityId();
    private final byte[] src = new byte[16];
    private final byte[] dst = new byte[16];
    private final byte[] mac = new byte[6];

    /**
     * @param host    the collector's host id, written into every record
     * @param ifNames interface name for an ifindex (of the namespace the collector attached in)
     * @param clock   monotonic → epoch conversion
     */
    public PacketDecoder(String host, IntFunction<String> ifNames, WallClock clock) {
        this.host = host;
        this.ifNames = ifNames;
        this.clock = clock;
    }

    /**
     * @param buf a buffer holding the record at {@code [off, off + len)}; its byte order is ignored
     *            (records are always host order)
     * @throws MalformedRecordException when the record is shorter than its fixed part or than the
     *            payload it announces — a kernel/collector contract mismatch, never a bad packet
     */
    public PacketHeader decode(ByteBuffer buf, int off, int len) {
        return decodePacket(buf, off, len).header().build();
    }

    /**
     * Decodes L2–L4 and returns the builder with what the application layer needs to decode the
     * payload prefix; see {@link #decode} for the contract.
     */
    public DecodedPacket decodePacket(ByteBuffer buf, int off, int len) {
        if (len < SIZE) {
            throw new MalformedRecordException("record of " + len + " bytes is shorter than struct hl_event (" + SIZE + ")");
        }
        ByteBuffer b = buf.order() == ByteOrder.nativeOrder() ? buf : buf.duplicate().order(ByteOrder.nativeOrder());
        int snapLen = u16(b, off + SNAP_LEN);
        if (SIZE + snapLen > len) {
            throw new MalformedRecordException("record announces " + snapLen + " payload bytes but holds " + (len - SIZE));
        }
        int flags = u8(b, off + PARSE_FLAGS);
        long mono = b.getLong(off + MONO_NS);
        int ifIndex = b.getInt(off + IFINDEX);
        int gso = u16(b, off + GSO_SEGS);

        PacketHeader.Builder h = PacketHeader.newBuilder()
                .setHost(host)
                .setIfIndex(ifIndex)
                .setIfName(ifNames.apply(ifIndex))
                .setDirection(u8(b, off + DIRECTION) == DIR_EGRESS ? "egress" : "ingress")
                .setMonoTimeNs(mono)
                .setCaptureTimeNs(clock.toEpochNanos(mono))
                // an outer VLAN tag the kernel moved into skb metadata is not in skb->len, but was on the wire
                .setPacketLength(b.getInt(off + PKT_LEN) + ((flags & PF_VLAN_OFFLOADED) != 0 ? 4 : 0))
                .setGsoSegs(Math.max(1, gso))
                .setPayloadLength(b.getInt(off + PAYLOAD_LEN))
                .setCapturedPayloadLength(snapLen)
                .setParseFlags(flagNames(flags))
                // the label is the same at every host that sees this packet; non-IP frames have none
                .setPacketHash(u8(b, off + KEEP_REASON) == KEEP_NOT_IP ? null : b.getLong(off + PACKET_HASH))
                .setSampleRate(Math.max(1, b.getInt(off + SAMPLE_RATE)))
                .setEthernet(ethernet(b, off));

        int ipVersion = u8(b, off + IP_VERSION);
        int addrLen = 0;
        if (ipVersion == 4 || ipVersion == 6) {
            decodeIp(b, off, ipVersion, flags, h);
            addrLen = ipVersion == 4 ? 4 : 16;
        }
        int direction = u8(b, off + DIRECTION);
        return new DecodedPacket(h, b, off + PAYLOAD, snapLen, b.getInt(off + PAYLOAD_LEN), u8(b, off + IP_PROTO),
                (flags & PF_L4_PARSED) != 0, ifIndex,
                direction == DIR_EGRESS ? Direction.EGRESS : Direction.INGRESS, addrLen, off + IP_SRC, off + IP_DST,
                u16(b, off + SPORT), u16(b, off + DPORT), Integer.toUnsignedLong(b.getInt(off + TCP_SEQ)),
                u16(b, off + TCP_FLAGS), mono);
    }

    private Ethernet ethernet(ByteBuffer b, int off) {
        int vlanCount = Math.min(2, u8(b, off + VLAN_COUNT));
        List<Integer> vlans = new ArrayList<>(vlanCount);
        for (int i = 0; i < vlanCount; i++) {
            vlans.add(u16(b, off + VLAN_IDS + 2 * i));
        }
        b.get(off + ETH_SRC, mac, 0, 6);
        String srcMac = AddressFormat.mac(mac, 0);
        b.get(off + ETH_DST, mac, 0, 6);
        return Ethernet.newBuilder()
                .setSrcMac(srcMac)
                .setDstMac(AddressFormat.mac(mac, 0))
                .setEtherType(u16(b, off + ETH_TYPE))
                .setVlanIds(vlans)
                .build();
    }

    private void decodeIp(ByteBuffer b, int off, int version, int flags, PacketHeader.Builder h) {
        int addrLen = version == 4 ? 4 : 16;
        b.get(off + IP_SRC, src, 0, addrLen);
        b.get(off + IP_DST, dst, 0, addrLen);
        int proto = u8(b, off + IP_PROTO);
        int tos = u8(b, off + IP_TOS);
        int fragFlags = u8(b, off + IP_FRAG_FLAGS);
        int fragOff = u16(b, off + IP_FRAG_OFF);
        boolean fragmented = fragOff != 0 || (fragFlags & IP_MF) != 0;
        long ipId = Integer.toUnsignedLong(b.getInt(off + IP_ID));
        h.setIp(Ip.newBuilder()
                .setVersion(version)
                .setSrc(version == 4 ? AddressFormat.ipv4(src, 0) : AddressFormat.ipv6(src, 0))
                .setDst(version == 4 ? AddressFormat.ipv4(dst, 0) : AddressFormat.ipv6(dst, 0))
                .setProtocol(proto)
                .setTtl(u8(b, off + IP_TTL))
                .setDscp(tos >>> 2)
                .setEcn(tos & 0x3)
                // IPv6 has an identification only in a fragment header
                .setIpId(version == 4 || fragmented ? ipId : null)
                .setFlowLabel(version == 6 ? b.getInt(off + IP_FLOW_LABEL) & 0xfffff : null)
                .setTotalLength(u16(b, off + IP_TOTAL_LEN))
                .setDontFragment((fragFlags & IP_DF) != 0)
                .setMoreFragments((fragFlags & IP_MF) != 0)
                .setFragmentOffset(fragOff)
                .build());

        boolean l4 = (flags & PF_L4_PARSED) != 0;
        int sport = u16(b, off + SPORT);
        int dport = u16(b, off + DPORT);
        switch (proto) {
            case CommunityId.PROTO_TCP:
                if (l4) {
                    h.setTcp(tcp(b, off, sport, dport));
                }
                break;
            case CommunityId.PROTO_UDP:
                if (l4) {
                    h.setUdp(Udp.newBuilder().setSrcPort(sport).setDstPort(dport)
                            .setLength(u16(b, off + UDP_LEN)).build());
                }
                break;
            case CommunityId.PROTO_ICMP:
            case CommunityId.PROTO_ICMPV6:
                if (l4) {
                    h.setIcmp(icmp(b, off, proto));
                }
                break;
            default:
                break;
        }
        h.setCommunityId(communityId(b, off, addrLen, proto, l4, sport, dport));
    }

    private String communityId(ByteBuffer b, int off, int addrLen, int proto, boolean l4, int sport, int dport) {
        boolean icmp = proto == CommunityId.PROTO_ICMP || proto == CommunityId.PROTO_ICMPV6;
        if (icmp && l4) {
            return communityId.icmp(src, 0, dst, 0, addrLen, proto, u8(b, off + ICMP_TYPE), u8(b, off + ICMP_CODE));
        }
        boolean ported = proto == CommunityId.PROTO_TCP || proto == CommunityId.PROTO_UDP
                || proto == CommunityId.PROTO_SCTP;
        // Fragments after the first carry no ports; hashing them port-less would split the flow
        // key, so they get ports 0/0 like the spec's reference does for missing transport headers.
        return communityId.flow(src, 0, dst, 0, addrLen, proto, ported || icmp, l4 ? sport : 0, l4 ? dport : 0);
    }

    private static Tcp tcp(ByteBuffer b, int off, int sport, int dport) {
        int opts = u8(b, off + TCP_OPTS);
        int flags = u16(b, off + TCP_FLAGS);
        TcpOptions.Builder o = TcpOptions.newBuilder()
                .setSackPermitted((opts & TCPOPT_SACK_PERM) != 0);
        if ((opts & TCPOPT_MSS) != 0) {
            o.setMss(u16(b, off + TCP_MSS));
        }
        if ((opts & TCPOPT_WSCALE) != 0) {
            o.setWindowScale(u8(b, off + TCP_WSCALE));
        }
        if ((opts & TCPOPT_TS) != 0) {
            o.setTsVal(Integer.toUnsignedLong(b.getInt(off + TCP_TS_VAL)));
            o.setTsEcr(Integer.toUnsignedLong(b.getInt(off + TCP_TS_ECR)));
        }
        return Tcp.newBuilder()
                .setSrcPort(sport)
                .setDstPort(dport)
                .setSeq(Integer.toUnsignedLong(b.getInt(off + TCP_SEQ)))
                .setAck(Integer.toUnsignedLong(b.getInt(off + TCP_ACK)))
                .setFlags(flags)
                .setFlagNames(TcpFlags.names(flags))
                .setWindow(u16(b, off + TCP_WINDOW))
                .setHeaderLength(u16(b, off + L4_HDR_LEN))
                .setOptions(o.build())
                .build();
    }

    private static Icmp icmp(ByteBuffer b, int off, int proto) {
        int type = u8(b, off + ICMP_TYPE);
        boolean echo = proto == CommunityId.PROTO_ICMP ? (type == 8 || type == 0) : (type == 128 || type == 129);
        return Icmp.newBuilder()
                .setType(type)
                .setCode(u8(b, off + ICMP_CODE))
                .setEchoId(echo ? u16(b, off + ICMP_ID) : null)
                .setEchoSeq(echo ? u16(b, off + ICMP_SEQ) : null)
                .build();
    }

    private static final String[] FLAG_NAMES = {
        "TRUNCATED", "LOAD_FAILED", "IPV6_EXT_LIMIT", "FRAGMENT", null, null, "SNAP_CUT"
    };

    /** The HL_PF_* bits that mean "something is missing" (VLAN_OFFLOADED and L4_PARSED do not). */
    static List<String> flagNames(int flags) {
        if ((flags & (PF_TRUNCATED | PF_LOAD_FAILED | PF_IPV6_EXT_LIMIT | PF_FRAGMENT | PF_SNAP_CUT)) == 0) {
            return List.of();
        }
        List<String> names = new ArrayList<>(2);
        for (int bit = 0; bit < FLAG_NAMES.length; bit++) {
            if ((flags & (1 << bit)) != 0 && FLAG_NAMES[bit] != null) {
                names.add(FLAG_NAMES[bit]);
            }
        }
        return names;
    }

    private static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }
}
