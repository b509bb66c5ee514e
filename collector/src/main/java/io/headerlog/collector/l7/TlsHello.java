package io.headerlog.collector.l7;

import io.headerlog.schema.Tls;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a ClientHello or ServerHello (RFC 8446 4.1.2, 4.1.3; RFC 5246 7.4.1): versions,
 * cipher suites, and the extensions server_name (RFC 6066), ALPN (RFC 7301) and
 * supported_versions. GREASE values (RFC 8701: 0x?a?a with both bytes equal) are left out.
 *
 * <p>A length that runs past the bytes given, or breaks the grammar, stops the parse: the fields
 * read before it are kept and {@code truncated} is set.
 */
final class TlsHello {
    static final int MAX_CIPHER_SUITES = 128;
    static final int MAX_ALPN = 16;
    static final int MAX_VERSIONS = 16;
    static final int MAX_SNI_CHARS = 255;

    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;
    private static final int EXT_SUPPORTED_VERSIONS = 43;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final ByteBuffer b;
    private final int end;
    private final boolean client;
    private final Tls.Builder tls;
    private final List<String> alpn = new ArrayList<>(2);
    private final List<Integer> versions = new ArrayList<>(4);
    private final List<Integer> suites = new ArrayList<>(32);
    private int p;
    private boolean stopped;

    private TlsHello(ByteBuffer b, int start, int end, boolean client, Tls.Builder tls) {
        this.b = b;
        this.p = start;
        this.end = end;
        this.client = client;
        this.tls = tls;
    }

    /**
     * @param start first byte after the handshake header
     * @param end   end of the bytes present (the hello's end, or less when cut)
     * @param cut   fewer bytes than the hello's length are present
     * @return the fields, or null when not even legacy_version is present
     */
    static Tls parse(ByteBuffer b, int start, int end, int handshakeType, int recordVersion, boolean cut) {
        if (end - start < 2) {
            return null;
        }
        boolean client = handshakeType == TlsParser.CLIENT_HELLO;
        Tls.Builder tls = Tls.newBuilder()
                .setHandshakeType(client ? "client_hello" : "server_hello")
                .setRecordVersion(recordVersion)
                .setHelloVersion(Bytes.u16(b, start));
        TlsHello h = new TlsHello(b, start + 2, end, client, tls);
        if (client) {
            h.clientHello();
        } else {
            tls.setSelectedVersion(Bytes.u16(b, start));
            h.serverHello();
        }
        return tls.setAlpn(h.alpn)
                .setSupportedVersions(h.versions)
                .setCipherSuites(h.suites)
                .setTruncated(cut || h.stopped)
                .build();
    }

    private void clientHello() {
        if (!skip(32) || !skipVector(0, 32)) {
            return;
        }
        int suitesLength = u16();
        if (suitesLength < 0 || suitesLength % 2 != 0) {
            stop();
            return;
        }
        int suitesEnd = p + suitesLength;
        for (; p + 2 <= Math.min(suitesEnd, end); p += 2) {
            int suite = Bytes.u16(b, p);
            if (!isGrease(suite) && suites.size() < MAX_CIPHER_SUITES) {
                suites.add(suite);
            }
        }
        if (suitesEnd > end) {
            stop();
            return;
        }
        if (!skipVector(1, 255)) {
            return;
        }
        extensions();
    }

    private void serverHello() {
        if (!skip(32) || !skipVector(0, 32)) {
            return;
        }
        int suite = u16();
        if (suite < 0) {
            return;
        }
        tls.setCipherSuite(suite);
        if (!skip(1)) {
            return;
        }
        extensions();
    }

    /** Extensions are optional: a hello may end after its compression method(s). */
    private void extensions() {
        if (p == end) {
            return;
        }
        int length = u16();
        if (length < 0) {
            return;
        }
        int extensionsEnd = p + length;
        while (p + 4 <= Math.min(extensionsEnd, end)) {
            int type = Bytes.u16(b, p);
            int dataEnd = p + 4 + Bytes.u16(b, p + 2);
            if (dataEnd > Math.min(extensionsEnd, end)) {
                stop();
                return;
            }
            extension(type, p + 4, dataEnd);
            p = dataEnd;
        }
        if (p != extensionsEnd) {
            stop();
        }
    }

    private void extension(int type, int from, int to) {
        switch (type) {
            case EXT_SERVER_NAME:
                if (client) {
                    serverName(from, to);
                }
                break;
            case EXT_ALPN:
                alpn(from, to);
                break;
            case EXT_SUPPORTED_VERSIONS:
                supportedVersions(from, to);
                break;
            default:
                break;
        }
    }

    /** ServerNameList: u16 length, then {u8 type, u16 length, name}; the first host_name (0) counts. */
    private void serverName(int from, int to) {
        if (to - from < 2 || from + 2 + Bytes.u16(b, from) != to) {
            stop();
            return;
        }
        for (int q = from + 2; q + 3 <= to; ) {
            int nameType = Bytes.u8(b, q);
            int nameEnd = q + 3 + Bytes.u16(b, q + 1);
            if (nameEnd > to) {
                stop();
                return;
            }
            if (nameType == 0) {
                tls.setSni(hostName(q + 3, nameEnd));
                return;
            }
            q = nameEnd;
        }
    }

    /** A host name is visible ASCII (RFC 6066 3: a DNS hostname); anything else is not reported. */
    private String hostName(int from, int to) {
        if (to == from || to - from > MAX_SNI_CHARS) {
            return null;
        }
        for (int i = from; i < to; i++) {
            byte c = b.get(i);
            if (c <= 0x20 || c >= 0x7f) {
                return null;
            }
        }
        return Bytes.latin1(b, from, to);
    }

    /** ProtocolNameList: u16 length, then {u8 length ≥ 1, bytes}. */
    private void alpn(int from, int to) {
        if (to - from < 2 || from + 2 + Bytes.u16(b, from) != to) {
            stop();
            return;
        }
        for (int q = from + 2; q < to; ) {
            int n = Bytes.u8(b, q);
            if (n == 0 || q + 1 + n > to) {
                stop();
                return;
            }
            boolean grease = n == 2 && isGrease(Bytes.u16(b, q + 1));
            if (!grease && alpn.size() < MAX_ALPN) {
                alpn.add(protocolName(q + 1, q + 1 + n));
            }
            q += 1 + n;
        }
    }

    /** Protocol ids are opaque bytes; visible ASCII is kept as text, other bytes (and "\") as \xHH. */
    private String protocolName(int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            int c = Bytes.u8(b, i);
            if (c > 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append("\\x").append(HEX[c >>> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /** ClientHello: u8 length, then u16 versions; ServerHello: the one selected u16. */
    private void supportedVersions(int from, int to) {
        if (!client) {
            if (to - from != 2) {
                stop();
                return;
            }
            tls.setSelectedVersion(Bytes.u16(b, from));
            return;
        }
        if (to - from < 1 || from + 1 + Bytes.u8(b, from) != to || (to - from - 1) % 2 != 0) {
            stop();
            return;
        }
        for (int q = from + 1; q + 2 <= to; q += 2) {
            int v = Bytes.u16(b, q);
            if (!isGrease(v) && versions.size() < MAX_VERSIONS) {
                versions.add(v);
            }
        }
    }

    /** RFC 8701: 0x0a0a, 0x1a1a, … 0xfafa. */
    static boolean isGrease(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >>> 8) == (v & 0xff);
    }

    private int u16() {
        if (p + 2 > end) {
            stop();
            return -1;
        }
        int v = Bytes.u16(b, p);
        p += 2;
        return v;
    }

    private boolean skip(int n) {
        if (p + n > end) {
            stop();
            return false;
        }
        p += n;
        return true;
    }

    /** A vector with a u8 length of min..max bytes (session_id, compression_methods). */
    private boolean skipVector(int min, int max) {
        if (p + 1 > end) {
            stop();
            return false;
        }
        int n = Bytes.u8(b, p);
        if (n < min || n > max) {
            stop();
            return false;
        }
        return skip(1 + n);
    }

    private void stop() {
        stopped = true;
    }
}
