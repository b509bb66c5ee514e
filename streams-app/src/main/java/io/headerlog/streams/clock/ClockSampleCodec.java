package io.headerlog.streams.clock;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A compact binary form of one {@link ClockSample}, for a repartition topic: samples of one host
 * pair come from many flows, hence from many partitions of headers.raw, and must be brought
 * together (keyed by {@link HostPair#toString()}) before a {@link PairClockModel} sees them.
 * Layout: version byte, hostA and hostB (modified UTF-8), t1..t4.
 */
public final class ClockSampleCodec {
    static final byte VERSION = 1;

    private ClockSampleCodec() {
    }

    public static byte[] encode(ClockSample s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(48 + s.hostA().length() + s.hostB().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(s.hostA());
            out.writeUTF(s.hostB());
            out.writeLong(s.t1());
            out.writeLong(s.t2());
            out.writeLong(s.t3());
            out.writeLong(s.t4());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Throws IllegalArgumentException for bytes that are not a sample of this format. */
    public static ClockSample decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown clock sample version " + version + " (this build reads "
                        + VERSION + ")");
            }
            ClockSample s = new ClockSample(in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readLong(),
                    in.readLong());
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes after a clock sample");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated clock sample (" + data.length + " bytes)", e);
        }
    }
}
