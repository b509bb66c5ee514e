package io.headerlog.collector.l7;

import io.headerlog.collector.l7.HttpParse.Kind;
import io.headerlog.schema.Dns;
import io.headerlog.schema.DnsAnswer;
import io.headerlog.schema.DnsQuestion;
import io.headerlog.schema.Tls;
import io.headerlog.schema.TraceContext;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The limits and text rules every parser result must keep, whatever the input was. Plain checks
 * rather than AssertJ: the fuzz test runs them a few million times.
 */
final class RecordLimits {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");

    private RecordLimits() {}

    /**
     * @param off   where parsing began
     * @param avail bytes really readable from off
     * @param max   the maxHeaderBytes passed
     */
    static void http(HttpParse r, int off, int avail, int max) {
        check(r != null, "null result");
        if (r.kind() == Kind.NOT_HTTP) {
            check(r == HttpParse.NOT_HTTP, "NOT_HTTP with fields");
            return;
        }
        int limit = Math.min(max, HttpParser.MAX_HEADER_BYTES_LIMIT);
        int window = Math.min(avail, limit);
        check(r.headers().size() <= HttpParser.MAX_HEADERS, "too many headers");
        long text = 0;
        for (RawHeader h : r.headers()) {
            check(!h.name().isEmpty() && h.name().length() <= HttpParser.MAX_NAME_CHARS && isToken(h.name()), "bad name");
            String v = h.value();
            check(v.length() <= HttpParser.MAX_VALUE_CHARS && noCtl(v), "bad value");
            check(v.isEmpty() || (!isOws(v.charAt(0)) && !isOws(v.charAt(v.length() - 1))), "untrimmed value");
            text += h.name().length() + v.length();
        }
        check(text <= window, "more header text than bytes examined");
        check(r.valuesCut() >= 0 && r.valuesCut() <= r.headers().size(), "valuesCut");
        check(r.headersOmitted() >= 0, "headersOmitted");
        if (r.isRequest()) {
            check(HttpParser.METHODS.contains(r.method()), "method");
            check(r.target() != null && r.target().length() < window && visible(r.target(), true), "target");
            check(r.statusCode() == null && r.reason() == null, "request with status");
        } else {
            check(r.target() == null, "response with target");
            check((r.statusCode() == null) == (r.version() == null), "status without version");
            if (r.statusCode() != null) {
                check(r.statusCode() >= 100 && r.statusCode() <= 999, "status code");
                check(r.reason() != null && noCtl(r.reason()), "reason");
            }
        }
        check(r.version() == null || r.version().equals("HTTP/1.0") || r.version().equals("HTTP/1.1"), "version");
        check(r.contentLength() == null || r.contentLength() >= 0, "content length");
        switch (r.kind()) {
            case COMPLETE:
                check(r.headerBytes() >= 1 && r.headerBytes() <= window, "headerBytes");
                check(r.bodyOffset() == off + r.headerBytes(), "bodyOffset");
                check(r.version() != null, "complete without version");
                break;
            case INCOMPLETE:
                check(avail < limit && r.truncated() && r.bodyOffset() == -1 && r.headerBytes() == 0, "incomplete");
                break;
            default:
                check(avail >= limit && r.truncated() && r.bodyOffset() == -1 && r.headerBytes() == 0, "too long");
        }
    }

    static void dns(Dns d) {
        check(d.getTransport().equals("udp") || d.getTransport().equals("tcp"), "transport");
        check(d.getId() >= 0 && d.getId() <= 0xffff && d.getFlags() >= 0 && d.getFlags() <= 0xffff, "id/flags");
        int op = d.getOpcode();
        check(op == 0 || op == 1 || op == 2 || op == 4 || op == 5 || op == 6, "opcode");
        check(op == ((d.getFlags() >>> 11) & 0xf) && d.getRcode() == (d.getFlags() & 0xf), "opcode/rcode vs flags");
        check(d.getResponse() == ((d.getFlags() & 0x8000) != 0), "QR");
        int maxQ = Math.min(DnsParser.MAX_QUESTIONS, d.getQuestionCount());
        int maxA = Math.min(DnsParser.MAX_ANSWERS, d.getAnswerCount());
        check(d.getQuestions().size() <= maxQ && d.getAnswers().size() <= maxA, "section caps");
        if (!d.getMalformed()) {
            check(d.getQuestions().size() == maxQ && d.getAnswers().size() == maxA, "not malformed but sections short");
        }
        for (DnsQuestion q : d.getQuestions()) {
            name(q.getName());
            check(q.getTypeName().equals(DnsTypes.name(q.getType())), "typeName");
            check(in16(q.getType()) && in16(q.getQclass()), "type/class");
        }
        for (DnsAnswer a : d.getAnswers()) {
            name(a.getName());
            check(a.getTypeName().equals(DnsTypes.name(a.getType())), "typeName");
            check(in16(a.getType()) && in16(a.getAclass()) && a.getTtl() >= 0 && a.getTtl() <= 0xffffffffL, "rr fields");
            String data = a.getData();
            switch (a.getType()) {
                case DnsTypes.A:
                    check(data == null || IPV4.matcher(data).matches(), "A data");
                    break;
                case DnsTypes.AAAA:
                    check(data == null || IPV6.matcher(data).matches(), "AAAA data");
                    break;
                case DnsTypes.CNAME:
                case DnsTypes.NS:
                case DnsTypes.PTR:
                    if (data != null) {
                        name(data);
                    }
                    break;
                default:
                    check(data == null, "data for another type");
            }
        }
    }

    /** Presentation text: visible ASCII, labels of 1–63 octets, no trailing dot but the root, ≤ 255 octets on the wire. */
    static void name(String name) {
        check(!name.isEmpty() && visible(name, false), "name characters");
        if (name.equals(".")) {
            return;
        }
        int wire = 1; // the root byte
        int label = 0;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : '.';
            if (c == '\\') {
                i += Character.isDigit(name.charAt(i + 1)) ? 3 : 1;
                label++;
            } else if (c == '.') {
                check(label >= 1 && label <= 63, "label length in " + name);
                wire += label + 1;
                label = 0;
            } else {
                label++;
            }
        }
        check(wire <= 255, "name longer than 255 octets");
    }

    static void tls(Tls t) {
        boolean client = t.getHandshakeType().equals("client_hello");
        check(client || t.getHandshakeType().equals("server_hello"), "handshake type");
        check(t.getRecordVersion() >= 0x0300 && t.getRecordVersion() <= 0x0304 && in16(t.getHelloVersion()), "versions");
        check(t.getAlpn().size() <= TlsHello.MAX_ALPN, "alpn cap");
        for (String p : t.getAlpn()) {
            check(!p.isEmpty() && p.length() <= 255 * 4 && visible(p, false), "alpn text");
        }
        check(t.getSupportedVersions().size() <= TlsHello.MAX_VERSIONS && noGrease(t.getSupportedVersions()), "supported versions");
        check(t.getCipherSuites().size() <= TlsHello.MAX_CIPHER_SUITES && noGrease(t.getCipherSuites()), "cipher suites");
        check(t.getSni() == null || (t.getSni().length() <= TlsHello.MAX_SNI_CHARS && visible(t.getSni(), false)), "sni");
        if (client) {
            check(t.getSelectedVersion() == null && t.getCipherSuite() == null, "client hello with server fields");
        } else {
            check(t.getSni() == null && t.getSupportedVersions().isEmpty() && t.getCipherSuites().isEmpty(), "server hello with client fields");
            check(t.getSelectedVersion() != null && in16(t.getSelectedVersion()), "selected version");
        }
    }

    static void traceContext(TraceContext t) {
        check(t.getVersion() >= 0 && t.getVersion() < 0xff && t.getFlags() >= 0 && t.getFlags() <= 0xff, "version/flags");
        check(TRACE_ID.matcher(t.getTraceId()).matches() && !t.getTraceId().equals("0".repeat(32)), "trace id");
        check(SPAN_ID.matcher(t.getParentId()).matches() && !t.getParentId().equals("0".repeat(16)), "parent id");
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("limit broken: " + what);
        }
    }

    private static boolean in16(int v) {
        return v >= 0 && v <= 0xffff;
    }

    private static boolean noGrease(List<Integer> values) {
        for (int v : values) {
            if (!in16(v) || TlsHello.isGrease(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean noCtl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(String s, boolean emptyOk) {
        if (s.isEmpty()) {
            return emptyOk;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
