package io.headerlog.collector.decode;

import static io.headerlog.collector.bpf.EventLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The packet label of consistent (trajectory) sampling, RFC 5475 hash-based selection: the same 64-bit
 * hash the capture program writes into {@code hl_event.packet_hash}, over header fields that do not
 * change between hosts, so every observer of a packet computes the same label and makes the same keep
 * decision. The exact words and mixing are defined in bpf/capture.h (HL_HASH_SEED); this is that
 * function, and tests hold the two to the same values.
 *
 * <p>Inputs that a packet does not have are 0 (ports of ICMP, TCP fields of UDP, IP ID of IPv6 without
 * a fragment header, ICMP fields of TCP). All methods are static and allocate nothing (given a
 * native-order buffer, as the ring's is).
 */
public final class PacketHash {
    private PacketHash() {}

    private static final long MASK32 = 0xffffffffL;

    /**
     * The packet hash from header fields.
     *
     * @param ipVersion     4 or 6
     * @param protocol      IP protocol (after IPv6 extension headers)
     * @param src           source address: 4 bytes (IPv4) or 16 (IPv6) at {@code srcOff}
     * @param dst           destination address, same length, at {@code dstOff}
     * @param addrLen       4 or 16
     * @param srcPort       TCP/UDP source port, else 0
     * @param dstPort       TCP/UDP destination port, else 0
     * @param ipId          IPv4 identification or IPv6 fragment identification, else 0
     * @param tcpSeq        TCP sequence number, else 0
     * @param tcpAck        TCP acknowledgement number, else 0
     * @param tcpFlags      TCP flags incl. AE (0x100), else 0
     * @param tsVal         TCP timestamp option value, else 0
     * @param tsEcr         TCP timestamp echo reply, else 0
     * @param icmpType      ICMP/ICMPv6 type, else 0
     * @param icmpCode      ICMP/ICMPv6 code, else 0
     * @param icmpId        echo identifier (echo request/reply only), else 0
     * @param icmpSeq       echo sequence number (echo request/reply only), else 0
     * @param payloadLength L4 payload bytes on the wire (after the last parsed header)
     * @param payloadPrefix {@link #prefixWord} of the first payload bytes
     */
    public static long hash(int ipVersion, int protocol, byte[] src, int srcOff, byte[] dst, int dstOff, int addrLen,
            int srcPort, int dstPort, long ipId, long tcpSeq, long tcpAck, int tcpFlags, long tsVal, long tsEcr,
            int icmpType, int icmpCode, int icmpId, int icmpSeq, long payloadLength, long payloadPrefix) {
        if (addrLen != 4 && addrLen != 16) {
            throw new IllegalArgumentException("addresses are 4 (IPv4) or 16 (IPv6) bytes, got " + addrLen);
        }
        return hashWords(ipVersion, protocol, word(src, srcOff, addrLen, 0), word(src, srcOff, addrLen, 8),
                word(dst, dstOff, addrLen, 0), word(dst, dstOff, addrLen, 8), srcPort, dstPort, ipId, tcpSeq, tcpAck,
                tcpFlags, tsVal, tsEcr, icmpType, icmpCode, icmpId, icmpSeq, payloadLength, payloadPrefix);
    }

    /** The hash with the addresses given as their two big-endian words of the 16-byte form. */
    private static long hashWords(int ipVersion, int protocol, long src0, long src1, long dst0, long dst1, int srcPort,
            int dstPort, long ipId, long tcpSeq, long tcpAck, int tcpFlags, long tsVal, long tsEcr, int icmpType,
            int icmpCode, int icmpId, int icmpSeq, long payloadLength, long payloadPrefix) {
        long h = HASH_SEED;
        h = mix(h, (long) (ipVersion & 0xff) << 56 | (long) (protocol & 0xff) << 48 | (long) (tcpFlags & 0xffff) << 32
                | payloadLength & MASK32);
        h = mix(h, src0);
        h = mix(h, src1);
        h = mix(h, dst0);
        h = mix(h, dst1);
        h = mix(h, (long) (srcPort & 0xffff) << 48 | (long) (dstPort & 0xffff) << 32 | ipId & MASK32);
        h = mix(h, (tcpSeq & MASK32) << 32 | tcpAck & MASK32);
        h = mix(h, (tsVal & MASK32) << 32 | tsEcr & MASK32);
        h = mix(h, (long) (icmpType & 0xff) << 40 | (long) (icmpCode & 0xff) << 32 | (long) (icmpId & 0xffff) << 16
                | icmpSeq & 0xffff);
        h = mix(h, payloadPrefix);
        return fmix(h ^ (HASH_WORDS * 8));
    }

    /**
     * The payload word: the first {@code min(8, payloadLength)} payload bytes as a big-endian number,
     * zero-padded at the low end. {@code available} bytes are readable at {@code off}; it throws when fewer
     * than those needed are (then the label cannot be recomputed from this copy of the packet).
     */
    public static long prefixWord(ByteBuffer buf, int off, int available, long payloadLength) {
        int need = (int) Math.min(8, Math.max(0, payloadLength));
        if (available < need) {
            throw new IllegalArgumentException("the packet hash needs the first " + need + " payload bytes, only "
                    + available + " were captured; capture with a snap length of at least 8");
        }
        long w = 0;
        for (int i = 0; i < need; i++) {
            w |= (long) (buf.get(off + i) & 0xff) << (56 - 8 * i);
        }
        return w;
    }

    /** {@link #prefixWord(ByteBuffer, int, int, long)} over an array. */
    public static long prefixWord(byte[] payload, int off, int available, long payloadLength) {
        return prefixWord(ByteBuffer.wrap(payload), off, available, payloadLength);
    }

    /**
     * The hash of the packet in a ring record ({@code struct hl_event} at {@code off}, {@code length} bytes
     * with its payload prefix), recomputed from its fields: it equals the record's {@code packet_hash} when
     * the kernel and this class agree. 0 for a record that is not IP, as in the kernel. Throws when the
     * record holds fewer payload bytes than the hash covers (snap length below 8).
     */
    public static long ofRecord(ByteBuffer record, int off, int length) {
        ByteBuffer b = record.order() == ByteOrder.nativeOrder() ? record : record.duplicate().order(ByteOrder.nativeOrder());
        int version = b.get(off + IP_VERSION) & 0xff;
        if (version == 0) {
            return 0;
        }
        int payloadOff = b.getShort(off + PAYLOAD_OFF) & 0xffff;
        long payloadLength = b.getInt(off + PAYLOAD_LEN) & MASK32;
        int snap = Math.min(b.getShort(off + SNAP_LEN) & 0xffff, Math.max(0, length - SIZE));
        // payload_off 0xffff: the kernel could not locate the payload and hashes no payload bytes.
        long prefix = payloadOff == 0xffff ? 0 : prefixWord(b, off + PAYLOAD, snap, payloadLength);
        // The record holds 16 address bytes either way, zero beyond an IPv4 address: hashed as they are.
        return hashWords(version, b.get(off + IP_PROTO) & 0xff,
                bigEndian(b, off + IP_SRC), bigEndian(b, off + IP_SRC + 8),
                bigEndian(b, off + IP_DST), bigEndian(b, off + IP_DST + 8),
                b.getShort(off + SPORT) & 0xffff, b.getShort(off + DPORT) & 0xffff,
                b.getInt(off + IP_ID), b.getInt(off + TCP_SEQ), b.getInt(off + TCP_ACK),
                b.getShort(off + TCP_FLAGS) & 0xffff, b.getInt(off + TCP_TS_VAL), b.getInt(off + TCP_TS_ECR),
                b.get(off + ICMP_TYPE) & 0xff, b.get(off + ICMP_CODE) & 0xff,
                b.getShort(off + ICMP_ID) & 0xffff, b.getShort(off + ICMP_SEQ) & 0xffff,
                payloadLength, prefix);
    }

    /**
     * The keep decision of sampling at 1 in {@code rate}: true for {@code ceil(2^32 / rate)} of the 2^32
     * values of the hash's low 32 bits (exactly 1/rate when rate is a power of two). The high 32 bits do
     * not take part, so a second stage can sample on them independently.
     */
    public static boolean keep(long hash, int rate) {
        if (rate < 1) {
            throw new IllegalArgumentException("sample rate must be at least 1, got " + rate);
        }
        return ((hash & MASK32) * rate) >>> 32 == 0;
    }

    /** Address bytes [at, at + 8) of the 16-byte form (IPv4: the 4 address bytes, then zeros), big-endian. */
    private static long word(byte[] addr, int off, int len, int at) {
        long w = 0;
        for (int i = at; i < at + 8; i++) {
            w = w << 8 | (i < len ? addr[off + i] & 0xff : 0);
        }
        return w;
    }

    private static long bigEndian(ByteBuffer b, int at) {
        long w = 0;
        for (int i = 0; i < 8; i++) {
            w = w << 8 | (b.get(at + i) & 0xff);
        }
        return w;
    }

    private static long mix(long h, long k) {
        k *= HASH_C1;
        k = Long.rotateLeft(k, 31);
        k *= HASH_C2;
        h ^= k;
        h = Long.rotateLeft(h, 27);
        return h * 5 + 0x52dce729;
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
