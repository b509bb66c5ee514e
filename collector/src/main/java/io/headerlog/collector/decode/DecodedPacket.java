package io.headerlog.collector.decode;

import io.headerlog.collector.bpf.Direction;
import io.headerlog.collector.reassembly.StreamKey;
import io.headerlog.schema.PacketHeader;
import java.nio.ByteBuffer;

/**
 * One ring record decoded up to L4, with what the application layer needs to look at its payload.
 * {@code buf} is the ring's memory: valid only while the record is being processed.
 *
 * @param header      the L2–L4 fields, ready to get application fields and be built
 * @param buf         holds the record; the payload prefix is at {@code payloadOff}
 * @param capturedLen payload bytes the kernel copied
 * @param wireLen     payload bytes the packet carried
 * @param l4Parsed    the kernel parsed the L4 header (ports, seq and flags are valid)
 * @param srcAddrOff  where the source address bytes are in {@code buf} ({@code addrLen} of them)
 */
public record DecodedPacket(
        PacketHeader.Builder header,
        ByteBuffer buf,
        int payloadOff,
        int capturedLen,
        int wireLen,
        int proto,
        boolean l4Parsed,
        int ifIndex,
        Direction direction,
        int addrLen,
        int srcAddrOff,
        int dstAddrOff,
        int srcPort,
        int dstPort,
        long tcpSeq,
        int tcpFlags,
        long monoNs) {

    public boolean isTcp() {
        return l4Parsed && proto == CommunityId.PROTO_TCP && addrLen > 0;
    }

    public boolean isUdp() {
        return l4Parsed && proto == CommunityId.PROTO_UDP && addrLen > 0;
    }

    /** The observed stream this packet belongs to (read from the record, no copy of the addresses). */
    public StreamKey streamKey() {
        return StreamKey.of(ifIndex, direction, buf, srcAddrOff, buf, dstAddrOff, addrLen, srcPort, dstPort);
    }
}
