package io.headerlog.streams.flows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The stored form of a {@link WindowTally} (value of the open-windows store and its changelog).
 * Hand-written rather than Avro: it is written on every record that reaches the window, and a
 * version byte is all the evolution an internal state of a window's lifetime needs.
 *
 * <p>Layout (version 1): version; the point's communityId, host, ifName, direction, ipVersion,
 * protocol, src, srcPort, dst, dstPort; windowStartNs; headerRecords, estimatedPackets,
 * estimatedBytes, packetsVariance, bytesVariance, maxSampleRate; exactRecords, exactPackets,
 * exactBytes, exactFirstSeenNs, exactLastSeenNs; maxEventTimeNs, lastRecordTimestampMs. Strings are
 * modified UTF-8, numbers big-endian.
 */
final class WindowTallyCodec {
    static final byte VERSION = 1;

    private WindowTallyCodec() {
    }

    static byte[] encode(WindowTally t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(192);
        FlowPoint p = t.point();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(p.communityId());
            out.writeUTF(p.host());
            out.writeUTF(p.ifName());
            out.writeUTF(p.direction());
            out.writeInt(p.ipVersion());
            out.writeInt(p.protocol());
            out.writeUTF(p.src());
            out.writeInt(p.srcPort());
            out.writeUTF(p.dst());
            out.writeInt(p.dstPort());
            out.writeLong(t.windowStartNs());
            out.writeLong(t.headerRecords());
            out.writeLong(t.estimatedPackets());
            out.writeLong(t.estimatedBytes());
            out.writeDouble(t.packetsVariance());
            out.writeDouble(t.bytesVariance());
            out.writeLong(t.maxSampleRate());
            out.writeInt(t.exactRecords());
            out.writeLong(t.exactPackets());
            out.writeLong(t.exactBytes());
            out.writeLong(t.exactFirstSeenNs());
            out.writeLong(t.exactLastSeenNs());
            out.writeLong(t.maxEventTimeNs());
            out.writeLong(t.lastRecordTimestampMs());
        } catch (IOException e) {
            // Only a string over 64 KiB gets here (DataOutput's limit); memory writes do not fail.
            throw new UncheckedIOException("cannot store flow window of " + p.communityId(), e);
        }
        return bytes.toByteArray();
    }

    /** Throws IllegalArgumentException for bytes that are not a window tally of this format. */
    static WindowTally decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown flow window version " + version + " (this build reads "
                        + VERSION + ")");
            }
            FlowPoint p = new FlowPoint(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readInt(),
                    in.readInt(), in.readUTF(), in.readInt(), in.readUTF(), in.readInt());
            WindowTally t = new WindowTally(p, in.readLong());
            t.restore(in.readLong(), in.readLong(), in.readLong(), in.readDouble(), in.readDouble(), in.readLong(),
                    in.readInt(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
            if (in.available() > 0) {
                throw new IllegalArgumentException("flow window has " + in.available() + " trailing bytes");
            }
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated flow window: " + e.getMessage(), e);
        }
    }
}
