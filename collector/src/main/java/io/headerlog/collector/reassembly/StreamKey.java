package io.headerlog.collector.reassembly;

import io.headerlog.collector.bpf.Direction;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One observed TCP byte stream: where it was seen (interface and hook) and its exact 5-tuple in the
 * direction the bytes travel. A request and its response are two streams; the same connection seen
 * on two interfaces (or on ingress and egress of one) is two streams too, because each observer may
 * miss different segments.
 *
 * <p>Addresses are held as longs (IPv4 in {@code dstLo}/{@code srcLo}, IPv6 as two halves) so the key
 * is one small immutable object with value equality and no arrays to copy or to compare by identity.
 *
 * @param ifIndex   interface index of the observer
 * @param direction TCX hook that saw the bytes
 * @param ipVersion 4 or 6
 * @param srcHi     IPv6: first 8 bytes of the source address; IPv4: 0
 * @param srcLo     IPv6: last 8 bytes; IPv4: the address as an unsigned 32-bit value
 * @param dstHi     as srcHi, for the destination
 * @param dstLo     as srcLo, for the destination
 * @param srcPort   0..65535
 * @param dstPort   0..65535
 */
public record StreamKey(int ifIndex, Direction direction, int ipVersion,
                       long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort) {

    public StreamKey {
        Objects.requireNonNull(direction, "direction");
        if (ipVersion != 4 && ipVersion != 6) {
            throw new IllegalArgumentException("ip version must be 4 or 6, got " + ipVersion);
        }
        if (ipVersion == 4 && (srcHi != 0 || dstHi != 0 || (srcLo >>> 32) != 0 || (dstLo >>> 32) != 0)) {
            throw new IllegalArgumentException("an IPv4 address must fit in the low 32 bits");
        }
        if ((srcPort & ~0xFFFF) != 0 || (dstPort & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("ports must be 0..65535, got " + srcPort + " and " + dstPort);
        }
    }

    /** Key from address bytes (4 or 16 each, both the same length). */
    public static StreamKey of(int ifIndex, Direction direction, byte[] src, byte[] dst, int srcPort, int dstPort) {
        if (src.length != dst.length || (src.length != 4 && src.length != 16)) {
            throw new IllegalArgumentException("addresses must both be 4 (IPv4) or 16 (IPv6) bytes, got "
                    + src.length + " and " + dst.length);
        }
        return of(ifIndex, direction, ByteBuffer.wrap(src), 0, ByteBuffer.wrap(dst), 0, src.length, srcPort, dstPort);
    }

    /**
     * Key read straight from a record's address bytes (network order) without copying them first.
     *
     * @param addrLen 4 or 16
     */
    public static StreamKey of(int ifIndex, Direction direction, ByteBuffer srcBuf, int srcOff,
                               ByteBuffer dstBuf, int dstOff, int addrLen, int srcPort, int dstPort) {
        if (addrLen == 4) {
            return new StreamKey(ifIndex, direction, 4, 0, u32(srcBuf, srcOff), 0, u32(dstBuf, dstOff), srcPort, dstPort);
        }
        if (addrLen == 16) {
            return new StreamKey(ifIndex, direction, 6, u64(srcBuf, srcOff), u64(srcBuf, srcOff + 8),
                    u64(dstBuf, dstOff), u64(dstBuf, dstOff + 8), srcPort, dstPort);
        }
        throw new IllegalArgumentException("address length must be 4 (IPv4) or 16 (IPv6), got " + addrLen);
    }

    /** The same stream's opposite direction seen by the same observer hook (e.g. the response stream). */
    public StreamKey reversed() {
        return new StreamKey(ifIndex, direction, ipVersion, dstHi, dstLo, srcHi, srcLo, dstPort, srcPort);
    }

    public byte[] srcAddress() {
        return bytes(srcHi, srcLo);
    }

    public byte[] dstAddress() {
        return bytes(dstHi, dstLo);
    }

    private byte[] bytes(long hi, long lo) {
        if (ipVersion == 4) {
            return ByteBuffer.allocate(4).putInt((int) lo).array();
        }
        return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }

    @Override
    public String toString() {
        return "if" + ifIndex + "/" + direction + " " + text(srcAddress()) + "." + srcPort
                + " > " + text(dstAddress()) + "." + dstPort;
    }

    private static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // unreachable: the length is always 4 or 16
        }
    }

    private static long u32(ByteBuffer b, int off) {
        return ((long) (b.get(off) & 0xFF) << 24) | ((b.get(off + 1) & 0xFF) << 16)
                | ((b.get(off + 2) & 0xFF) << 8) | (b.get(off + 3) & 0xFF);
    }

    private static long u64(ByteBuffer b, int off) {
        return (u32(b, off) << 32) | u32(b, off + 4);
    }
}
