package io.headerlog.streams.clock;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact binary form of {@link PairModelSnapshot} for a state store (e.g. the value serde of a
 * key-value store keyed by {@link HostPair#toString()}). A leading version byte lets the format
 * change later; a sample costs 33 bytes (its direction and four timestamps — the host names are the
 * pair's, stored once).
 */
public final class PairModelCodec {
    static final byte VERSION = 1;
    // A window of 120 s in 2 s buckets keeps 60; this only stops a corrupt length from allocating GBs.
    private static final int MAX_SAMPLES = 1_000_000;

    private PairModelCodec() {
    }

    public static byte[] encode(PairModelSnapshot s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 33 * (s.kept().size() + s.pending().size()));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(s.pair().first());
            out.writeUTF(s.pair().second());
            out.writeLong(s.newestNs());
            out.writeLong(s.accepted());
            out.writeLong(s.stale());
            out.writeLong(s.rejectedOutliers());
            out.writeLong(s.steps());
            writeSamples(out, s.pair(), s.kept());
            writeSamples(out, s.pair(), s.pending());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Throws IllegalArgumentException for bytes that are not a snapshot of this format. */
    public static PairModelSnapshot decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown clock model snapshot version " + version
                        + " (this build reads " + VERSION + ")");
            }
            HostPair pair = new HostPair(in.readUTF(), in.readUTF());
            long newest = in.readLong();
            long accepted = in.readLong();
            long stale = in.readLong();
            long rejected = in.readLong();
            long steps = in.readLong();
            List<ClockSample> kept = readSamples(in, pair);
            List<ClockSample> pending = readSamples(in, pair);
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes after a clock model snapshot");
            }
            return new PairModelSnapshot(pair, kept, pending, newest, accepted, stale, rejected, steps);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated clock model snapshot (" + data.length + " bytes)", e);
        }
    }

    private static void writeSamples(DataOutputStream out, HostPair pair, List<ClockSample> samples)
            throws IOException {
        out.writeInt(samples.size());
        for (ClockSample c : samples) {
            out.writeBoolean(c.hostA().equals(pair.first()));
            out.writeLong(c.t1());
            out.writeLong(c.t2());
            out.writeLong(c.t3());
            out.writeLong(c.t4());
        }
    }

    private static List<ClockSample> readSamples(DataInputStream in, HostPair pair) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_SAMPLES) {
            throw new IllegalArgumentException("sample count " + n + " out of range in a clock model snapshot");
        }
        List<ClockSample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean firstIsA = in.readBoolean();
            String a = firstIsA ? pair.first() : pair.second();
            samples.add(new ClockSample(a, pair.other(a), in.readLong(), in.readLong(), in.readLong(), in.readLong()));
        }
        return samples;
    }
}
