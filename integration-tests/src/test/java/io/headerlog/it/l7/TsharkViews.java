package io.headerlog.it.l7;

import io.headerlog.it.l7.HttpFrame.Header;
import io.headerlog.it.l7.HttpFrame.StartLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** tshark's dissection of a capture, as the models headerlog's records are compared with. */
final class TsharkViews {
    static final List<String> HTTP_FIELDS = List.of("tcp.srcport", "tcp.dstport", "tcp.len", "tcp.segment", "tcp.segment.count",
            "http.request.method", "http.request.uri", "http.request.version", "http.response.version",
            "http.response.code", "http.response.phrase", "http.request.line", "http.response.line", "http.host",
            "http.user_agent", "http.content_type", "http.content_length_header");
    static final List<String> DNS_FIELDS = List.of("udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport",
            "dns.id", "dns.flags", "dns.flags.response", "dns.flags.opcode", "dns.flags.rcode",
            "dns.flags.authoritative", "dns.flags.truncated", "dns.flags.recdesired", "dns.flags.recavail",
            "dns.count.queries", "dns.count.answers", "dns.count.auth_rr", "dns.count.add_rr", "dns.qry.name",
            "dns.qry.type", "dns.qry.class", "dns.resp.name", "dns.resp.type", "dns.resp.class", "dns.resp.ttl",
            "dns.a", "dns.aaaa", "dns.cname", "dns.ns", "dns.ptr.domain_name");
    static final List<String> TLS_FIELDS = List.of("tcp.srcport", "tcp.dstport", "tls.record.version",
            "tls.handshake.type", "tls.handshake.version", "tls.handshake.extensions_server_name",
            "tls.handshake.extensions_alpn_str", "tls.handshake.extensions.supported_version",
            "tls.handshake.ciphersuite");

    private TsharkViews() {
    }

    /** Every frame that begins an HTTP message; {@code httpPorts} are decoded as HTTP whatever tshark's defaults. */
    static List<HttpFrame> http(TsharkCapture capture, List<Integer> httpPorts) throws InterruptedException {
        List<String> options = new ArrayList<>();
        for (int port : httpPorts) {
            options.addAll(List.of("-d", "tcp.port==" + port + ",http"));
        }
        Map<Integer, Integer> payloadByFrame = new HashMap<>();
        for (TsharkRow row : capture.read("tcp.len > 0", List.of(), List.of("tcp.len"))) {
            payloadByFrame.put(row.firstInt("frame.number"), row.firstInt("tcp.len"));
        }
        List<HttpFrame> frames = new ArrayList<>();
        for (TsharkRow row : capture.read("http.request || http.response", options, HTTP_FIELDS)) {
            frames.add(httpFrame(row, payloadByFrame));
        }
        return frames;
    }

    private static HttpFrame httpFrame(TsharkRow row, Map<Integer, Integer> payloadByFrame) {
        List<StartLine> starts = new ArrayList<>();
        List<String> methods = row.all("http.request.method");
        for (int i = 0; i < methods.size(); i++) {
            starts.add(new StartLine(methods.get(i), at(row.all("http.request.uri"), i),
                    at(row.all("http.request.version"), i), null, null));
        }
        List<Integer> codes = row.allInts("http.response.code");
        for (int i = 0; i < codes.size(); i++) {
            starts.add(new StartLine(null, null, at(row.all("http.response.version"), i), codes.get(i),
                    at(row.all("http.response.phrase"), i)));
        }
        List<Header> headers = new ArrayList<>();
        int bytes = 0;
        for (StartLine s : starts) {
            bytes += s.text().length() + 4;   // its CRLF, and the empty line that ends the block
        }
        List<String> lines = new ArrayList<>(row.all("http.request.line"));
        lines.addAll(row.all("http.response.line"));
        for (String escaped : lines) {
            String line = TsharkCapture.unescape(escaped);
            bytes += line.length();
            String text = line.endsWith("\r\n") ? line.substring(0, line.length() - 2)
                    : line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
            int colon = text.indexOf(':');
            headers.add(colon < 0 ? new Header(text, "")
                    : new Header(text.substring(0, colon), text.substring(colon + 1).strip()));
        }
        Integer segments = row.firstInt("tcp.segment.count");
        int largest = row.firstInt("tcp.len");
        for (int frame : row.allInts("tcp.segment")) {
            largest = Math.max(largest, payloadByFrame.getOrDefault(frame, 0));
        }
        return new HttpFrame("tshark " + row, row.first("tcp.srcport") + ">" + row.first("tcp.dstport"), starts,
                headers, row.all("http.host"), row.all("http.user_agent"), row.all("http.content_type"),
                row.allLongs("http.content_length_header"), segments == null ? 1 : segments, bytes, false,
                largest);
    }

    static List<DnsMessage> dns(TsharkCapture capture) throws InterruptedException {
        List<DnsMessage> out = new ArrayList<>();
        for (TsharkRow row : capture.read("dns", List.of(), DNS_FIELDS)) {
            out.add(dnsMessage(row));
        }
        return out;
    }

    private static DnsMessage dnsMessage(TsharkRow row) {
        boolean tcp = row.has("tcp.srcport");
        int flags = row.firstInt("dns.flags");
        List<DnsMessage.Question> questions = new ArrayList<>();
        List<String> qnames = row.all("dns.qry.name");
        for (int i = 0; i < qnames.size(); i++) {
            questions.add(new DnsMessage.Question(name(qnames.get(i)), row.allInts("dns.qry.type").get(i),
                    row.allInts("dns.qry.class").get(i)));
        }
        // dns.resp.* run over all sections in message order, answers first: the first ancount are the answers
        int answerCount = row.firstInt("dns.count.answers");
        Iterator<String> a = row.all("dns.a").iterator();
        Iterator<String> aaaa = row.all("dns.aaaa").iterator();
        Iterator<String> cname = row.all("dns.cname").iterator();
        Iterator<String> ns = row.all("dns.ns").iterator();
        Iterator<String> ptr = row.all("dns.ptr.domain_name").iterator();
        List<DnsMessage.Answer> answers = new ArrayList<>();
        for (int i = 0; i < answerCount && i < row.all("dns.resp.name").size(); i++) {
            int type = row.allInts("dns.resp.type").get(i);
            String data = switch (type) {
                case 1 -> next(a);
                case 28 -> next(aaaa);
                case 5 -> name(next(cname));
                case 2 -> name(next(ns));
                case 12 -> name(next(ptr));
                default -> null;
            };
            answers.add(new DnsMessage.Answer(name(row.all("dns.resp.name").get(i)), type,
                    row.allInts("dns.resp.class").get(i), row.allLongs("dns.resp.ttl").get(i), data));
        }
        return new DnsMessage("tshark " + row, tcp ? "tcp" : "udp",
                row.firstInt(tcp ? "tcp.srcport" : "udp.srcport"), row.firstInt(tcp ? "tcp.dstport" : "udp.dstport"),
                row.firstInt("dns.id"), bool(row, "dns.flags.response", flags, 0x8000),
                orElse(row.firstInt("dns.flags.opcode"), (flags >> 11) & 0xf),
                orElse(row.firstInt("dns.flags.rcode"), flags & 0xf), flags,
                bool(row, "dns.flags.authoritative", flags, 0x0400), bool(row, "dns.flags.truncated", flags, 0x0200),
                bool(row, "dns.flags.recdesired", flags, 0x0100), bool(row, "dns.flags.recavail", flags, 0x0080),
                row.firstInt("dns.count.queries"), answerCount, row.firstInt("dns.count.auth_rr"),
                row.firstInt("dns.count.add_rr"), questions, answers);
    }

    static List<TlsHello> tls(TsharkCapture capture, int tlsPort) throws InterruptedException {
        List<TlsHello> out = new ArrayList<>();
        for (TsharkRow row : capture.read("tls.handshake.type == 1 || tls.handshake.type == 2",
                List.of("-d", "tcp.port==" + tlsPort + ",tls"), TLS_FIELDS)) {
            out.add(tlsHello(row));
        }
        return out;
    }

    private static TlsHello tlsHello(TsharkRow row) {
        boolean client = row.allInts("tls.handshake.type").contains(1);
        List<Integer> versions = row.allInts("tls.handshake.extensions.supported_version").stream()
                .filter(v -> !TlsHello.isGrease(v)).toList();
        List<Integer> suites = row.allInts("tls.handshake.ciphersuite").stream()
                .filter(v -> !TlsHello.isGrease(v)).toList();
        int helloVersion = row.firstInt("tls.handshake.version");
        String stream = row.first("tcp.srcport") + ">" + row.first("tcp.dstport");
        if (client) {
            return new TlsHello("tshark " + row, stream, TlsHello.CLIENT_HELLO, row.firstInt("tls.record.version"),
                    helloVersion, row.first("tls.handshake.extensions_server_name"),
                    row.all("tls.handshake.extensions_alpn_str"), versions, null, suites, null);
        }
        return new TlsHello("tshark " + row, stream, TlsHello.SERVER_HELLO, row.firstInt("tls.record.version"),
                helloVersion, null, row.all("tls.handshake.extensions_alpn_str"), List.of(),
                versions.isEmpty() ? helloVersion : versions.get(0), List.of(), suites.isEmpty() ? null : suites.get(0));
    }

    private static boolean bool(TsharkRow row, String field, int flags, int bit) {
        Boolean b = row.firstBoolean(field);
        return b != null ? b : (flags & bit) != 0;
    }

    private static int orElse(Integer v, int fallback) {
        return v != null ? v : fallback;
    }

    private static String name(String tsharkName) {
        return tsharkName == null ? null : tsharkName.equals("<Root>") ? "." : tsharkName;
    }

    private static String next(Iterator<String> it) {
        return it.hasNext() ? it.next() : null;
    }

    private static <T> T at(List<T> list, int i) {
        return i < list.size() ? list.get(i) : null;
    }
}
