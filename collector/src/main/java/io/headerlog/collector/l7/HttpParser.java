package io.headerlog.collector.l7;

import io.headerlog.collector.l7.HttpParse.Kind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Recognises an HTTP/1.x message header by its content, whatever the port, and lists its header
 * fields raw (names and values as sent). What may be published is the header policy's decision, not
 * this class's.
 *
 * <p>Grammar (RFC 9112), with the choices made where real traffic is looser than the RFC:
 * <ul>
 *   <li>request line: a method of {@link #METHODS}, SP, a target of visible ASCII, SP,
 *       {@code HTTP/1.0} or {@code HTTP/1.1}; status line: the version, SP, three digits (100–999),
 *       then nothing or SP and a reason phrase without control characters (HTAB allowed);</li>
 *   <li>lines end in CRLF or a bare LF (RFC 9112 2.2 lets recipients accept LF);</li>
 *   <li>a header line is {@code token ":" OWS value OWS}; the value may hold obs-text (bytes ≥ 0x80,
 *       read as ISO-8859-1, so no byte can fail to decode) but no control character except HTAB;</li>
 *   <li>a line that breaks this — obs-fold (a line starting with SP/HTAB, deprecated by RFC 9112
 *       5.2), whitespace before the colon, no colon, a control character, a name over
 *       {@link #MAX_NAME_CHARS} — stops the header list: the fields before it are reported and
 *       {@code truncated} is set. Unfolding or skipping such lines would let a crafted request show
 *       a different header list here than the server saw; stopping is the conservative choice.
 *       The end of the block is still searched for, so headerBytes and the body offset stay
 *       right.</li>
 * </ul>
 * It never throws on any input and never logs: header values can be secrets.
 */
public final class HttpParser {
    /** The methods of RFC 9110 9.3 and PATCH (RFC 5789). */
    public static final List<String> METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
    /** Raw header fields listed per message; later ones are counted in headersOmitted. */
    public static final int MAX_HEADERS = 256;
    /** A longer name is treated as a malformed line. */
    public static final int MAX_NAME_CHARS = 256;
    /** Longer values are cut (and counted in valuesCut); the policy applies the user's own, smaller limit. */
    public static final int MAX_VALUE_CHARS = 8192;
    /** maxHeaderBytes is capped at this, bounding the work and the text of one message. */
    public static final int MAX_HEADER_BYTES_LIMIT = 1 << 20;

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpParser() {}

    /**
     * @param buf            bytes of one flow direction, any byte order; only absolute reads are
     *                       made, its position and limit are not changed
     * @param off            where a message may begin
     * @param len            bytes available from off (cut to the buffer's limit)
     * @param maxHeaderBytes the most bytes a header block may take (capped at
     *                       {@link #MAX_HEADER_BYTES_LIMIT}); only this many are examined
     */
    public static HttpParse parse(ByteBuffer buf, int off, int len, int maxHeaderBytes) {
        int avail = Bytes.readable(buf, off, len);
        if (avail <= 0 || maxHeaderBytes <= 0) {
            return HttpParse.NOT_HTTP;
        }
        int max = Math.min(maxHeaderBytes, MAX_HEADER_BYTES_LIMIT);
        int window = Math.min(avail, max);
        Kind cutKind = avail < max ? Kind.INCOMPLETE : Kind.TOO_LONG;
        byte first = buf.get(off);
        if (first < 'A' || first > 'Z') {
            return HttpParse.NOT_HTTP; // every method and "HTTP/" start with an upper-case letter
        }
        if (!buf.hasArray()) {
            // Ring records are direct (mmapped) buffers: one bulk copy makes every later read and
            // every String of the block an array access instead of a bounds-checked buffer read.
            byte[] copy = new byte[window];
            buf.get(off, copy, 0, window);
            return scan(ByteBuffer.wrap(copy), 0, window, cutKind, off);
        }
        return scan(buf, off, off + window, cutKind, off);
    }

    /**
     * @param end      end of the window examined
     * @param cutKind  the kind when the block does not end inside the window
     * @param reported the offset the caller knows the message by (bodyOffset is relative to it)
     */
    private static HttpParse scan(ByteBuffer buf, int off, int end, Kind cutKind, int reported) {
        int nl = Bytes.indexOf(buf, off, end, (byte) '\n');
        HttpStartLine start = nl < 0
                ? HttpStartLine.prefix(buf, off, end)
                : HttpStartLine.parse(buf, off, withoutCr(buf, off, nl));
        if (start == null) {
            return HttpParse.NOT_HTTP;
        }
        Message m = new Message(start);
        if (nl < 0) {
            m.truncated = true;
            return m.result(cutKind, 0, -1);
        }
        int pos = nl + 1;
        while (true) {
            nl = Bytes.indexOf(buf, pos, end, (byte) '\n');
            if (nl < 0) {
                m.truncated = true;
                return m.result(cutKind, 0, -1);
            }
            int lineEnd = withoutCr(buf, pos, nl);
            if (lineEnd == pos) {
                int headerBytes = nl + 1 - off;
                return m.result(Kind.COMPLETE, headerBytes, reported + headerBytes);
            }
            if (!m.stopped && !headerLine(buf, pos, lineEnd, m)) {
                m.stopped = true;
                m.truncated = true;
            }
            pos = nl + 1;
        }
    }

    /** Mutable state of one parse. */
    private static final class Message {
        final HttpStartLine start;
        final List<RawHeader> headers = new ArrayList<>(16);
        long contentLength = -1;
        boolean contentLengthInvalid;
        boolean chunked;
        boolean transferEncoded;
        boolean truncated;
        boolean stopped;
        int omitted;
        int valuesCut;

        Message(HttpStartLine start) {
            this.start = start;
        }

        HttpParse result(Kind kind, int headerBytes, int bodyOffset) {
            Long cl = contentLengthInvalid || contentLength < 0 ? null : contentLength;
            return new HttpParse(kind, start.method, start.target, start.version, start.status, start.reason,
                    List.copyOf(headers), headerBytes,
                    bodyOffset, cl, chunked, transferEncoded, truncated, omitted, valuesCut);
        }
    }

    private static int withoutCr(ByteBuffer buf, int lineStart, int nl) {
        return nl > lineStart && buf.get(nl - 1) == '\r' ? nl - 1 : nl;
    }

    // ---- header lines -----------------------------------------------------------------------------

    /** @return false when the line is malformed */
    private static boolean headerLine(ByteBuffer buf, int from, int to, Message m) {
        int colon = from;
        while (colon < to && isTchar(buf.get(colon))) {
            colon++;
        }
        if (colon == from || colon == to || buf.get(colon) != ':' || colon - from > MAX_NAME_CHARS) {
            return false;
        }
        int v0 = colon + 1;
        int v1 = to;
        while (v0 < v1 && isOws(buf.get(v0))) {
            v0++;
        }
        while (v1 > v0 && isOws(buf.get(v1 - 1))) {
            v1--;
        }
        for (int i = v0; i < v1; i++) {
            if (isCtl(buf.get(i))) {
                return false;
            }
        }
        framing(buf, from, colon, v0, v1, m);
        if (m.headers.size() >= MAX_HEADERS) {
            m.omitted++;
            return true;
        }
        if (v1 - v0 > MAX_VALUE_CHARS) {
            m.valuesCut++;
            v1 = v0 + MAX_VALUE_CHARS;
            while (v1 > v0 && isOws(buf.get(v1 - 1))) {
                v1--;
            }
        }
        m.headers.add(new RawHeader(Bytes.latin1(buf, from, colon), Bytes.latin1(buf, v0, v1)));
        return true;
    }

    /** Content-Length and Transfer-Encoding, which say where the body ends (RFC 9112 6). */
    private static void framing(ByteBuffer buf, int n0, int n1, int v0, int v1, Message m) {
        if (nameIs(buf, n0, n1, "content-length")) {
            long v = contentLength(buf, v0, v1);
            if (v < 0 || (m.contentLength >= 0 && m.contentLength != v)) {
                m.contentLengthInvalid = true;
            } else {
                m.contentLength = v;
            }
        } else if (nameIs(buf, n0, n1, "transfer-encoding")) {
            m.transferEncoded = true;
            int comma = v1;
            while (comma > v0 && buf.get(comma - 1) != ',') {
                comma--;
            }
            int c0 = comma;
            while (c0 < v1 && isOws(buf.get(c0))) {
                c0++;
            }
            m.chunked = nameIs(buf, c0, v1, "chunked");
        }
    }

    /**
     * Content-Length = 1*DIGIT; a list of equal values ("5, 5", from merged duplicate fields) is
     * accepted as that value (RFC 9112 6.3 item 5). More than 18 digits cannot be a real length.
     *
     * @return the length, or -1 when invalid
     */
    private static long contentLength(ByteBuffer buf, int v0, int v1) {
        long value = -1;
        int i = v0;
        while (i <= v1) {
            while (i < v1 && isOws(buf.get(i))) {
                i++;
            }
            int d0 = i;
            long v = 0;
            while (i < v1 && buf.get(i) >= '0' && buf.get(i) <= '9' && i - d0 < 18) {
                v = v * 10 + (buf.get(i) - '0');
                i++;
            }
            if (i == d0) {
                return -1;
            }
            while (i < v1 && isOws(buf.get(i))) {
                i++;
            }
            if (value >= 0 && value != v) {
                return -1;
            }
            value = v;
            if (i == v1) {
                return value;
            }
            if (buf.get(i) != ',') {
                return -1;
            }
            i++;
        }
        return -1;
    }

    // ---- byte classes -------------------------------------------------------------------------

    private static boolean nameIs(ByteBuffer buf, int from, int to, String lowerName) {
        if (to - from != lowerName.length()) {
            return false;
        }
        for (int i = 0; i < lowerName.length(); i++) {
            int c = buf.get(from + i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTchar(byte c) {
        return c >= 0 && TCHAR[c];
    }

    private static boolean isOws(byte c) {
        return c == ' ' || c == '\t';
    }

    /** CTL except HTAB: 0x00–0x08, 0x0a–0x1f, 0x7f. Bytes ≥ 0x80 are obs-text, allowed. */
    static boolean isCtl(byte c) {
        return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
    }
}
