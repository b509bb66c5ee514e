package io.headerlog.testing;

import static io.headerlog.collector.bpf.EventLayout.*;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A copy of one ring buffer record (struct hl_event + payload prefix), each field read at its
 * {@link io.headerlog.collector.bpf.EventLayout} offset. For tests that check what the kernel wrote
 * without going through the production decoder; {@link #raw()} keeps the record's bytes for decoders.
 */
public record RawEvent(
        int recordLength,
        long monoNs,
        int ifindex,
        int pktLen,
        int payloadLen,
        int gsoSegs,
        int snapLen,
        int direction,
        int parseFlags,
        int vlanCount,
        int ipVersion,
        int[] vlanIds,
        byte[] ethDst,
        byte[] ethSrc,
        int ethType,
        int ipProto,
        int ipTtl,
        int ipTos,
        int ipFragFlags,
        int ipFragOff,
        long ipId,
        int ipFlowLabel,
        int ipTotalLen,
        int l4HdrLen,
        byte[] ipSrc,
        byte[] ipDst,
        int sport,
        int dport,
        long tcpSeq,
        long tcpAck,
        int tcpWindow,
        int tcpFlags,
        long tcpTsVal,
        long tcpTsEcr,
        int tcpMss,
        int tcpWscale,
        int tcpOpts,
        int udpLen,
        int icmpType,
        int icmpCode,
        int icmpId,
        int icmpSeq,
        int payloadOff,
        long packetHash,
        long sampleRate,
        int keepReason,
        byte[] payload,
        byte[] raw) {

    /** Copies the record at {@code [offset, offset + length)} of {@code data}. */
    public static RawEvent read(ByteBuffer data, int offset, int length) {
        ByteBuffer b = data.duplicate().order(ByteOrder.nativeOrder());
        int o = offset;
        int snap = u16(b, o + SNAP_LEN);
        byte[] payload = new byte[Math.min(snap, Math.max(0, length - SIZE))];
        b.get(o + PAYLOAD, payload);
        byte[] raw = new byte[length];
        b.get(o, raw);
        return new RawEvent(
                length,
                b.getLong(o + MONO_NS),
                b.getInt(o + IFINDEX),
                b.getInt(o + PKT_LEN),
                b.getInt(o + PAYLOAD_LEN),
                u16(b, o + GSO_SEGS),
                snap,
                u8(b, o + DIRECTION),
                u8(b, o + PARSE_FLAGS),
                u8(b, o + VLAN_COUNT),
                u8(b, o + IP_VERSION),
                new int[] {u16(b, o + VLAN_IDS), u16(b, o + VLAN_IDS + 2)},
                bytes(b, o + ETH_DST, 6),
                bytes(b, o + ETH_SRC, 6),
                u16(b, o + ETH_TYPE),
                u8(b, o + IP_PROTO),
                u8(b, o + IP_TTL),
                u8(b, o + IP_TOS),
                u8(b, o + IP_FRAG_FLAGS),
                u16(b, o + IP_FRAG_OFF),
                u32(b, o + IP_ID),
                b.getInt(o + IP_FLOW_LABEL),
                u16(b, o + IP_TOTAL_LEN),
                u16(b, o + L4_HDR_LEN),
                bytes(b, o + IP_SRC, 16),
                bytes(b, o + IP_DST, 16),
                u16(b, o + SPORT),
                u16(b, o + DPORT),
                u32(b, o + TCP_SEQ),
                u32(b, o + TCP_ACK),
                u16(b, o + TCP_WINDOW),
                u16(b, o + TCP_FLAGS),
                u32(b, o + TCP_TS_VAL),
                u32(b, o + TCP_TS_ECR),
                u16(b, o + TCP_MSS),
                u8(b, o + TCP_WSCALE),
                u8(b, o + TCP_OPTS),
                u16(b, o + UDP_LEN),
                u8(b, o + ICMP_TYPE),
                u8(b, o + ICMP_CODE),
                u16(b, o + ICMP_ID),
                u16(b, o + ICMP_SEQ),
                u16(b, o + PAYLOAD_OFF),
                b.getLong(o + PACKET_HASH),
                u32(b, o + SAMPLE_RATE),
                u8(b, o + KEEP_REASON),
                payload,
                raw);
    }

    public boolean hasFlag(int flag) {
        return (parseFlags & flag) != 0;
    }

    public boolean ingress() {
        return direction == DIR_INGRESS;
    }

    public boolean egress() {
        return direction == DIR_EGRESS;
    }

    /** Source address: the first 4 bytes for IPv4, all 16 for IPv6; null when not IP. */
    public InetAddress source() {
        return address(ipSrc);
    }

    public InetAddress destination() {
        return address(ipDst);
    }

    private InetAddress address(byte[] raw) {
        if (ipVersion != 4 && ipVersion != 6) {
            return null;
        }
        try {
            return InetAddress.getByAddress(ipVersion == 4 ? Arrays.copyOf(raw, 4) : raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xffffffffL;
    }

    private static byte[] bytes(ByteBuffer b, int at, int n) {
        byte[] out = new byte[n];
        b.get(at, out);
        return out;
    }

    @Override
    public String toString() {
        return "RawEvent[" + (ingress() ? "in" : "out") + " if=" + ifindex + " len=" + pktLen + " ip" + ipVersion
                + " proto=" + ipProto + " " + source() + ":" + sport + " > " + destination() + ":" + dport
                + " flags=0x" + Integer.toHexString(parseFlags) + " tcp=0x" + Integer.toHexString(tcpFlags)
                + " icmp=" + icmpType + "/" + icmpCode + " payload=" + payloadLen + "/" + snapLen
                + " hash=" + Long.toHexString(packetHash) + " rate=" + sampleRate + " keep=" + keepReason + "]";
    }
}
