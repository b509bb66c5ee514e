package io.headerlog.streams.correlate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of an {@link OpenPacket} (value of the open-packets store and its changelog).
 * Hand-written rather than Avro: the store is written once or twice per sighting on the hot path,
 * and a version byte is all the evolution an internal, seconds-lived state needs.
 *
 * <p>Layout (version 1, still read): version; communityId; packetHash; a presence byte for the summary's
 * optional src, dst, protocol, srcPort, dstPort, then those present; sampleRate; startNs; endNs;
 * lastRecordTimestampMs; ambiguous; unstoredSightings; the sighting count, then per sighting host,
 * ifName, direction, captureTimeNs, aligned, and when aligned alignedTimeNs, clockErrorNs and
 * clockReference; version 2 adds each sighting's TTL (an int, last). Strings are modified UTF-8,
 * numbers big-endian.
 */
final class OpenPacketCodec {
    static final byte VERSION = 2;

    private OpenPacketCodec() {
    }

    static byte[] encode(OpenPacket p) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96 + 64 * p.sightings().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(p.communityId());
            out.writeLong(p.packetHash());
            writeSummary(out, p.summary());
            out.writeLong(p.startNs());
            out.writeLong(p.endNs());
            out.writeLong(p.lastRecordTimestampMs());
            out.writeBoolean(p.ambiguous());
            out.writeInt(p.unstoredSightings());
            List<Sighting> sightings = p.sightings();
            out.writeInt(sightings.size());
            for (Sighting s : sightings) {
                out.writeUTF(s.host());
                out.writeUTF(s.ifName());
                out.writeUTF(s.direction());
                out.writeLong(s.captureTimeNs());
                out.writeBoolean(s.aligned());
                if (s.aligned()) {
                    out.writeLong(s.alignedTimeNs());
                    out.writeLong(s.clockErrorNs());
                    out.writeUTF(s.clockReference());
                }
                out.writeInt(s.ttl());
            }
        } catch (IOException e) {
            // Only a string over 64 KiB gets here (DataOutput's limit); memory writes do not fail.
            throw new UncheckedIOException("cannot store open packet " + p.communityId(), e);
        }
        return bytes.toByteArray();
    }

    /** Throws IllegalArgumentException for bytes that are not an open packet of this format. */
    static OpenPacket decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != 1 && version != VERSION) {
                throw new IllegalArgumentException("unknown open packet version " + version + " (this build reads 1 and "
                        + VERSION + ")");
            }
            String communityId = in.readUTF();
            long hash = in.readLong();
            PacketSummary summary = readSummary(in);
            long start = in.readLong();
            long end = in.readLong();
            long lastTs = in.readLong();
            boolean ambiguous = in.readBoolean();
            int unstored = in.readInt();
            int n = in.readInt();
            if (n < 0 || n > OpenPacket.MAX_SIGHTINGS || unstored < 0) {
                throw new IllegalArgumentException("open packet with " + n + " sightings and " + unstored + " unstored");
            }
            List<Sighting> sightings = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String host = in.readUTF();
                String ifName = in.readUTF();
                String direction = in.readUTF();
                long capture = in.readLong();
                boolean aligned = in.readBoolean();
                Long alignedTime = aligned ? in.readLong() : null;
                Long error = aligned ? in.readLong() : null;
                String reference = aligned ? in.readUTF() : null;
                int ttl = version >= 2 ? in.readInt() : Sighting.NO_TTL;
                sightings.add(new Sighting(host, ifName, direction, capture, alignedTime, error, reference, ttl));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes after an open packet");
            }
            return new OpenPacket(communityId, hash, summary, sightings, unstored, ambiguous, start, end, lastTs);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated open packet (" + data.length + " bytes)", e);
        }
    }

    private static void writeSummary(DataOutputStream out, PacketSummary s) throws IOException {
        int present = (s.src() != null ? 1 : 0) | (s.dst() != null ? 2 : 0) | (s.protocol() != null ? 4 : 0)
                | (s.srcPort() != null ? 8 : 0) | (s.dstPort() != null ? 16 : 0);
        out.writeByte(present);
        if (s.src() != null) {
            out.writeUTF(s.src());
        }
        if (s.dst() != null) {
            out.writeUTF(s.dst());
        }
        if (s.protocol() != null) {
            out.writeInt(s.protocol());
        }
        if (s.srcPort() != null) {
            out.writeInt(s.srcPort());
        }
        if (s.dstPort() != null) {
            out.writeInt(s.dstPort());
        }
        out.writeLong(s.sampleRate());
    }

    private static PacketSummary readSummary(DataInputStream in) throws IOException {
        int present = in.readUnsignedByte();
        String src = (present & 1) != 0 ? in.readUTF() : null;
        String dst = (present & 2) != 0 ? in.readUTF() : null;
        Integer protocol = (present & 4) != 0 ? in.readInt() : null;
        Integer srcPort = (present & 8) != 0 ? in.readInt() : null;
        Integer dstPort = (present & 16) != 0 ? in.readInt() : null;
        return new PacketSummary(src, dst, protocol, srcPort, dstPort, in.readLong());
    }
}
