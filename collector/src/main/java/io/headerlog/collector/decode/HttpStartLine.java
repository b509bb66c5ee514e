package io.headerlog.collector.decode;

import io.headerlog.schema.Http;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Recognises the start line of an HTTP/1.x message by content (not by port): a request line
 * {@code METHOD SP target SP HTTP/x.y CRLF} or a status line {@code HTTP/x.y SP 3DIGIT SP reason CRLF}.
 * Anything else — binary data, a line cut by the snap length, a body segment — is not HTTP and yields
 * null. It never throws on any input.
 */
public final class HttpStartLine {
    static final int MAX_LINE = 4096;
    private static final String[] METHODS = {
        "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE"
    };

    private HttpStartLine() {}

    /** @return the parsed start line, or null when {@code [off, off+len)} does not begin with one. */
    public static Http parse(ByteBuffer buf, int off, int len) {
        if (len < 10) {
            return null;
        }
        int eol = findCrlf(buf, off, Math.min(len, MAX_LINE));
        if (eol < 0) {
            return null;
        }
        int lineLen = eol - off;
        if (startsWith(buf, off, lineLen, "HTTP/")) {
            return statusLine(buf, off, lineLen);
        }
        return requestLine(buf, off, lineLen);
    }

    private static Http requestLine(ByteBuffer buf, int off, int lineLen) {
        String method = null;
        for (String m : METHODS) {
            if (lineLen > m.length() && startsWith(buf, off, lineLen, m) && buf.get(off + m.length()) == ' ') {
                method = m;
                break;
            }
        }
        if (method == null) {
            return null;
        }
        int targetStart = off + method.length() + 1;
        int end = off + lineLen;
        int sp = indexOf(buf, targetStart, end, (byte) ' ');
        if (sp <= targetStart) {
            return null;
        }
        int versionLen = end - (sp + 1);
        if (versionLen != 8 || !startsWith(buf, sp + 1, versionLen, "HTTP/") || !isVisibleAscii(buf, targetStart, sp)) {
            return null;
        }
        String version = ascii(buf, sp + 1, versionLen);
        if (!isHttp1Version(version)) {
            return null;
        }
        return Http.newBuilder()
                .setMethod(method)
                .setTarget(ascii(buf, targetStart, sp - targetStart))
                .setVersion(version)
                .build();
    }

    private static Http statusLine(ByteBuffer buf, int off, int lineLen) {
        // "HTTP/1.1 200 OK": version (8) SP code (3) [SP reason]
        if (lineLen < 12 || buf.get(off + 8) != ' ') {
            return null;
        }
        String version = ascii(buf, off, 8);
        if (!isHttp1Version(version)) {
            return null;
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            byte c = buf.get(off + i);
            if (c < '0' || c > '9') {
                return null;
            }
            code = code * 10 + (c - '0');
        }
        if (code < 100) {
            return null;
        }
        String reason = "";
        if (lineLen > 12) {
            if (buf.get(off + 12) != ' ') {
                return null;
            }
            reason = ascii(buf, off + 13, lineLen - 13);
        }
        return Http.newBuilder().setVersion(version).setStatusCode(code).setReason(reason).build();
    }

    private static boolean isHttp1Version(String v) {
        return v.equals("HTTP/1.1") || v.equals("HTTP/1.0");
    }

    private static int findCrlf(ByteBuffer buf, int off, int len) {
        for (int i = off; i < off + len - 1; i++) {
            if (buf.get(i) == '\r' && buf.get(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(ByteBuffer buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(ByteBuffer buf, int off, int len, String prefix) {
        if (len < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buf.get(off + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisibleAscii(ByteBuffer buf, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = buf.get(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(ByteBuffer buf, int off, int len) {
        byte[] bytes = new byte[len];
        buf.get(off, bytes, 0, len);
        // ISO-8859-1 keeps every byte one char, so odd bytes in a reason phrase cannot throw
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
