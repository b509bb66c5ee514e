package io.headerlog.streams.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The stored form of a {@link ConnectionState} (value of the connection store and its changelog).
 * Hand-written rather than Avro: it is internal, never leaves the app, and changes with the code;
 * a leading version byte lets a later build refuse (or migrate) an older layout.
 */
final class ConnectionStateCodec {
    static final byte VERSION = 1;
    // bounded by the config in practice; this only stops corrupt bytes from allocating gigabytes
    private static final int MAX_ENTRIES = 1_000_000;

    private ConnectionStateCodec() {
    }

    static Serde<ConnectionState> serde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : encode(state),
                (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    static byte[] encode(ConnectionState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            Map<ObserverId, ObserverQueue> observers = s.pairing().observers();
            out.writeInt(observers.size());
            for (var e : observers.entrySet()) {
                writeObserver(out, e.getKey());
                ObserverQueue q = e.getValue();
                out.writeInt(q.requestsSeen());
                out.writeLong(q.lastRequestSeq());
                out.writeInt(q.lastRequestIndex());
                out.writeLong(q.lastResponseSeq());
                out.writeInt(q.lastResponseIndex());
                List<OpenRequest> open = q.openRequests();
                out.writeInt(open.size());
                for (OpenRequest r : open) {
                    out.writeInt(r.ordinal());
                    writeRequest(out, r.request());
                    writeStamp(out, r.stamp());
                    out.writeLong(r.deadlineMs());
                }
            }
            List<ViewJoin.Pending> pending = s.join().pending();
            out.writeInt(pending.size());
            for (ViewJoin.Pending p : pending) {
                writeView(out, p.view());
                out.writeLong(p.deadlineMs());
            }
            List<ViewJoin.Reported> reported = s.join().reported();
            out.writeInt(reported.size());
            for (ViewJoin.Reported r : reported) {
                out.writeInt(r.clientOrdinal());
                out.writeInt(r.serverOrdinal());
                writeRequest(out, r.request());
                out.writeLong(r.expiresAtMs());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Throws IllegalArgumentException for bytes that are not a connection state of this format. */
    static ConnectionState decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown HTTP connection state version " + version
                        + " (this build reads " + VERSION + ")");
            }
            Map<ObserverId, ObserverQueue> observers = new LinkedHashMap<>();
            int n = count(in);
            for (int i = 0; i < n; i++) {
                ObserverId id = readObserver(in);
                int seen = in.readInt();
                long reqSeq = in.readLong();
                int reqIdx = in.readInt();
                long respSeq = in.readLong();
                int respIdx = in.readInt();
                int m = count(in);
                List<OpenRequest> open = new ArrayList<>(m);
                for (int j = 0; j < m; j++) {
                    open.add(new OpenRequest(in.readInt(), readRequest(in), readStamp(in), in.readLong()));
                }
                observers.put(id, new ObserverQueue(seen, reqSeq, reqIdx, respSeq, respIdx, open));
            }
            int p = count(in);
            List<ViewJoin.Pending> pending = new ArrayList<>(p);
            for (int i = 0; i < p; i++) {
                pending.add(new ViewJoin.Pending(readView(in), in.readLong()));
            }
            int r = count(in);
            List<ViewJoin.Reported> reported = new ArrayList<>(r);
            for (int i = 0; i < r; i++) {
                reported.add(new ViewJoin.Reported(in.readInt(), in.readInt(), readRequest(in), in.readLong()));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes after an HTTP connection state");
            }
            return new ConnectionState(new ConnectionPairing(observers), new ViewJoin(pending, reported));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated HTTP connection state (" + data.length + " bytes)", e);
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ENTRIES) {
            throw new IllegalArgumentException("corrupt HTTP connection state: " + n + " entries");
        }
        return n;
    }

    private static void writeObserver(DataOutputStream out, ObserverId id) throws IOException {
        writeString(out, id.host());
        writeString(out, id.ifName());
        writeString(out, id.requestDirection());
    }

    private static ObserverId readObserver(DataInputStream in) throws IOException {
        return new ObserverId(readString(in), readString(in), readString(in));
    }

    private static void writeView(DataOutputStream out, ObserverView v) throws IOException {
        writeObserver(out, v.observer());
        out.writeInt(v.ordinal());
        writeRequest(out, v.request());
        writeStamp(out, v.requestStamp());
        out.writeBoolean(v.responseStamp() != null);
        if (v.responseStamp() != null) {
            writeStamp(out, v.responseStamp());
        }
        out.writeInt(v.statusCode() == null ? -1 : v.statusCode());
        writeString(out, v.reason());
    }

    private static ObserverView readView(DataInputStream in) throws IOException {
        ObserverId id = readObserver(in);
        int ordinal = in.readInt();
        RequestInfo request = readRequest(in);
        Stamp requestStamp = readStamp(in);
        Stamp responseStamp = in.readBoolean() ? readStamp(in) : null;
        int status = in.readInt();
        return new ObserverView(id, ordinal, request, requestStamp, responseStamp, status < 0 ? null : status,
                readString(in));
    }

    private static void writeRequest(DataOutputStream out, RequestInfo r) throws IOException {
        writeString(out, r.method());
        writeString(out, r.target());
        writeString(out, r.host());
        writeString(out, r.requestId());
        Trace t = r.trace();
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeInt(t.version());
            writeString(out, t.traceId());
            writeString(out, t.parentId());
            out.writeInt(t.flags());
        }
    }

    private static RequestInfo readRequest(DataInputStream in) throws IOException {
        String method = readString(in);
        String target = readString(in);
        String host = readString(in);
        String requestId = readString(in);
        Trace trace = in.readBoolean() ? new Trace(in.readInt(), readString(in), readString(in), in.readInt()) : null;
        return new RequestInfo(method, target, host, requestId, trace);
    }

    private static void writeStamp(DataOutputStream out, Stamp s) throws IOException {
        out.writeLong(s.monoNs());
        out.writeLong(s.wallNs());
        out.writeBoolean(s.aligned());
        if (s.aligned()) {
            out.writeLong(s.alignedNs());
            out.writeLong(s.clockErrorNs());
            writeString(out, s.clockReference());
        }
    }

    private static Stamp readStamp(DataInputStream in) throws IOException {
        long mono = in.readLong();
        long wall = in.readLong();
        if (!in.readBoolean()) {
            return Stamp.unaligned(mono, wall);
        }
        return new Stamp(mono, wall, in.readLong(), in.readLong(), readString(in));
    }

    /** Length-prefixed UTF-8 (writeUTF stops at 64 KiB and mangles some characters); -1 is null. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > in.available()) {
            throw new IllegalArgumentException("corrupt HTTP connection state: string of " + n + " bytes");
        }
        byte[] b = in.readNBytes(n);
        return new String(b, StandardCharsets.UTF_8);
    }
}
