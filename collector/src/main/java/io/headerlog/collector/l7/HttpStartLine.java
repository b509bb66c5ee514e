package io.headerlog.collector.l7;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The first line of an HTTP/1.x message (RFC 9112 3, 4): a request line
 * {@code method SP target SP HTTP/1.x} or a status line {@code HTTP/1.x SP 3DIGIT [SP reason]}.
 * Recognising it is how {@link HttpParser} tells HTTP from other bytes, whatever the port.
 */
final class HttpStartLine {
    private static final int MIN_STATUS_PREFIX = 9; // "HTTP/1.1 ": less than this is too little to judge
    private static final byte[][] METHOD_BYTES = HttpParser.METHODS.stream()
            .map(m -> m.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    private static final String VERSION_PREFIX = "HTTP/1.";

    final String method;
    final String target;
    /** Null when the line was cut before it ended. */
    final String version;
    final Integer status;
    final String reason;

    private HttpStartLine(String method, String target, String version, Integer status, String reason) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.status = status;
        this.reason = reason;
    }

    /** @param end the line's end, without CR LF; @return the line, or null when it is not one */
    static HttpStartLine parse(ByteBuffer buf, int off, int end) {
        if (startsWith(buf, off, end, "HTTP/")) {
            return statusLine(buf, off, end);
        }
        int method = method(buf, off, end);
        if (method < 0) {
            return null;
        }
        int t0 = off + METHOD_BYTES[method].length + 1;
        int t1 = visibleRun(buf, t0, end);
        if (t1 == t0 || t1 >= end || buf.get(t1) != ' ' || end - (t1 + 1) != 8 || !version(buf, t1 + 1)) {
            return null;
        }
        return new HttpStartLine(HttpParser.METHODS.get(method), Bytes.latin1(buf, t0, t1),
                Bytes.latin1(buf, t1 + 1, end), null, null);
    }

    private static HttpStartLine statusLine(ByteBuffer buf, int off, int end) {
        int lineLen = end - off;
        if (lineLen < 12 || !version(buf, off) || buf.get(off + 8) != ' ' || !statusCode(buf, off + 9, 3)) {
            return null;
        }
        if (lineLen > 12 && (buf.get(off + 12) != ' ' || !reasonChars(buf, off + 13, end))) {
            return null;
        }
        int status = (buf.get(off + 9) - '0') * 100 + (buf.get(off + 10) - '0') * 10 + (buf.get(off + 11) - '0');
        return new HttpStartLine(null, null, Bytes.latin1(buf, off, off + 8), status,
                lineLen > 12 ? Bytes.latin1(buf, off + 13, end) : "");
    }

    /**
     * A start line with no line end inside the window (a segment boundary or the window's end fell
     * inside it): recognised when what is there is a valid beginning of one. A request then reports
     * its method and the target seen so far; a status line reports nothing until it is whole.
     *
     * @return the part seen (version null), or null when the bytes cannot begin a start line
     */
    static HttpStartLine prefix(ByteBuffer buf, int off, int end) {
        if (end > off && buf.get(end - 1) == '\r') {
            end--; // the LF may be in the next segment
        }
        if (startsWith(buf, off, end, "HTTP/")) {
            return end - off >= MIN_STATUS_PREFIX && statusPrefix(buf, off, end)
                    ? new HttpStartLine(null, null, null, null, null)
                    : null;
        }
        int method = method(buf, off, end);
        if (method < 0) {
            return null;
        }
        int t0 = off + METHOD_BYTES[method].length + 1;
        int t1 = visibleRun(buf, t0, end);
        // after the target: SP and a beginning of "HTTP/1.0" or "HTTP/1.1"
        if (t1 < end && (t1 == t0 || buf.get(t1) != ' ' || end - (t1 + 1) > 8 || !versionPrefix(buf, t1 + 1, end))) {
            return null;
        }
        return new HttpStartLine(HttpParser.METHODS.get(method), Bytes.latin1(buf, t0, t1), null, null, null);
    }

    private static boolean statusPrefix(ByteBuffer buf, int off, int end) {
        if (!versionPrefix(buf, off, Math.min(end, off + 8)) || buf.get(off + 8) != ' ') {
            return false;
        }
        if (!statusCode(buf, off + 9, Math.min(3, end - (off + 9)))) {
            return false;
        }
        return end <= off + 12 || (buf.get(off + 12) == ' ' && reasonChars(buf, off + 13, end));
    }

    /** @return the index in METHODS of the method that starts the line followed by SP, or -1 */
    private static int method(ByteBuffer buf, int off, int end) {
        for (int i = 0; i < METHOD_BYTES.length; i++) {
            byte[] mb = METHOD_BYTES[i];
            if (end - off > mb.length && buf.get(off + mb.length) == ' ' && startsWith(buf, off, mb)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean version(ByteBuffer buf, int at) {
        return startsWith(buf, at, at + 8, VERSION_PREFIX) && (buf.get(at + 7) == '0' || buf.get(at + 7) == '1');
    }

    private static boolean versionPrefix(ByteBuffer buf, int at, int end) {
        for (int i = at; i < end; i++) {
            byte c = buf.get(i);
            int k = i - at;
            boolean ok = k < VERSION_PREFIX.length() ? c == VERSION_PREFIX.charAt(k) : (c == '0' || c == '1');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** digits (≤ 3) of a status code; the first is 1–9 */
    private static boolean statusCode(ByteBuffer buf, int at, int digits) {
        for (int i = 0; i < digits; i++) {
            byte c = buf.get(at + i);
            if (c < (i == 0 ? '1' : '0') || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** reason-phrase = *( HTAB / SP / VCHAR / obs-text ) */
    private static boolean reasonChars(ByteBuffer buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (HttpParser.isCtl(buf.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static int visibleRun(ByteBuffer buf, int from, int to) {
        int i = from;
        while (i < to) {
            byte c = buf.get(i);
            if (c <= 0x20 || c >= 0x7f) {
                break;
            }
            i++;
        }
        return i;
    }

    private static boolean startsWith(ByteBuffer buf, int off, int end, String prefix) {
        if (end - off < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buf.get(off + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(ByteBuffer buf, int off, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (buf.get(off + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
