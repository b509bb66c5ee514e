package io.headerlog.collector.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.Dns;
import io.headerlog.schema.DnsAnswer;
import io.headerlog.schema.DnsQuestion;
import io.headerlog.schema.Tls;
import io.headerlog.testing.Exec;
import io.headerlog.testing.ExecResult;
import io.headerlog.testing.PacketBuilder;
import io.headerlog.testing.PcapWriter;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tshark as the oracle for the parsers alone: a few hundred seeded random — but valid — DNS
 * messages, TLS hellos and HTTP headers are written to a pcap, dissected by tshark, and every field
 * both sides know is compared. (The collector's integration tests compare live traffic; this one
 * covers message shapes real clients rarely send.) Needs the tshark binary, no root.
 */
class ApplicationParsersTsharkIT {
    private static final int PER_PROTOCOL = 150;
    private static final List<String> FIELDS = List.of(
            "frame.number",
            "dns.id", "dns.flags", "dns.count.queries", "dns.count.answers", "dns.qry.name", "dns.qry.type",
            "dns.qry.class", "dns.resp.name", "dns.resp.type", "dns.resp.ttl", "dns.a", "dns.aaaa", "dns.cname",
            "dns.ns", "dns.ptr.domain_name",
            "tls.handshake.type", "tls.record.version", "tls.handshake.version", "tls.handshake.extensions_server_name",
            "tls.handshake.extensions_alpn_str", "tls.handshake.extensions.supported_version", "tls.handshake.ciphersuite",
            "http.request.method", "http.request.uri", "http.request.version", "http.response.version",
            "http.response.code", "http.response.phrase", "http.request.line", "http.response.line");
    private static final String[] ALPN = {"h2", "http/1.1", "h3", "spdy/3.1", "acme-tls/1"};
    private static final int[] DNS_TYPES = {1, 28, 5, 2, 12, 15, 16, 33, 65};

    private final Random rnd = new Random(0x7e5a_4c0dL);
    private final List<String> mismatches = new ArrayList<>();
    private Path dir;

    private enum Kind { DNS, TLS, HTTP }

    private record Frame(Kind kind, byte[] payload) {}

    @BeforeEach
    void createDir() throws Exception {
        dir = Files.createTempDirectory("hl-l7-tshark-");
    }

    @AfterEach
    void deleteDir() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Test
    void shouldDecodeEveryFieldAsTsharkDoes() throws Exception {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < PER_PROTOCOL; i++) {
            frames.add(new Frame(Kind.DNS, randomDns(i)));
            frames.add(new Frame(Kind.TLS, randomHello()));
            frames.add(new Frame(Kind.HTTP, randomHttp().getBytes(StandardCharsets.ISO_8859_1)));
        }
        List<String[]> rows = dissect(frames);

        assertThat(rows).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            String[] row = rows.get(i);
            ByteBuffer b = ByteBuffer.wrap(f.payload());
            switch (f.kind()) {
                case DNS -> compareDns(i + 1, DnsParser.parse(b, 0, f.payload().length, "udp"), row);
                case TLS -> compareTls(i + 1, TlsParser.parse(b, 0, f.payload().length), row);
                default -> compareHttp(i + 1, HttpParser.parse(b, 0, f.payload().length, 8192), row);
            }
        }
        assertThat(mismatches).as("fields that differ from tshark's dissection").isEmpty();
    }

    private List<String[]> dissect(List<Frame> frames) throws Exception {
        InetAddress a = InetAddress.getByName("198.18.0.1");
        InetAddress b = InetAddress.getByName("198.18.0.2");
        List<byte[]> raw = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            PacketBuilder p = PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(a, b);
            int client = 20000 + i; // a stream per frame: tshark must not relate them
            switch (f.kind()) {
                case DNS -> p.udp(client, 53);
                case TLS -> p.tcp(client, 443).flags(0x18).seq(1000).ack(1);
                default -> p.tcp(client, 80).flags(0x18).seq(1000).ack(1);
            }
            raw.add(p.payload(f.payload()).build());
        }
        Path pcap = dir.resolve("l7.pcap");
        PcapWriter.write(pcap, raw);
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-T", "fields",
                "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|"));
        for (String field : FIELDS) {
            cmd.add("-e");
            cmd.add(field);
        }
        ExecResult r = Exec.run(Duration.ofSeconds(120), cmd);
        assertThat(r.ok()).as("tshark must be installed (apt-get install tshark): %s", r.describe()).isTrue();
        return r.stdout().lines().map(l -> l.split("\t", -1)).toList();
    }

    // ---- comparisons ---------------------------------------------------------------------------

    private String f(String[] row, String field) {
        int i = FIELDS.indexOf(field);
        return i < row.length ? row[i] : "";
    }

    private static List<String> list(String v) {
        return v.isEmpty() ? List.of() : Arrays.asList(v.split("\\|", -1));
    }

    private static List<Integer> ints(String v) {
        return list(v).stream().map(Integer::decode).toList();
    }

    private void same(int frame, String what, Object mine, Object tshark) {
        if (!String.valueOf(mine).equals(String.valueOf(tshark))) {
            mismatches.add("frame " + frame + " " + what + ": headerlog=" + mine + " tshark=" + tshark);
        }
    }

    private void compareDns(int frame, Dns d, String[] row) {
        if (d == null) {
            mismatches.add("frame " + frame + ": headerlog did not decode the DNS message");
            return;
        }
        same(frame, "id", d.getId(), Integer.decode(f(row, "dns.id")));
        same(frame, "flags", d.getFlags(), Integer.decode(f(row, "dns.flags")));
        same(frame, "questionCount", d.getQuestionCount(), f(row, "dns.count.queries"));
        same(frame, "answerCount", d.getAnswerCount(), f(row, "dns.count.answers"));
        same(frame, "question names", d.getQuestions().stream().map(DnsQuestion::getName).toList(), list(f(row, "dns.qry.name")));
        same(frame, "question types", d.getQuestions().stream().map(DnsQuestion::getType).toList(), ints(f(row, "dns.qry.type")));
        same(frame, "question classes", d.getQuestions().stream().map(DnsQuestion::getQclass).toList(), ints(f(row, "dns.qry.class")));
        same(frame, "answer names", d.getAnswers().stream().map(DnsAnswer::getName).toList(), list(f(row, "dns.resp.name")));
        same(frame, "answer types", d.getAnswers().stream().map(DnsAnswer::getType).toList(), ints(f(row, "dns.resp.type")));
        same(frame, "answer ttls", d.getAnswers().stream().map(DnsAnswer::getTtl).toList(),
                list(f(row, "dns.resp.ttl")).stream().map(Long::valueOf).toList());
        same(frame, "A", data(d, 1), list(f(row, "dns.a")));
        same(frame, "AAAA", data(d, 28), list(f(row, "dns.aaaa")));
        same(frame, "CNAME", data(d, 5), list(f(row, "dns.cname")));
        same(frame, "NS", data(d, 2), list(f(row, "dns.ns")));
        same(frame, "PTR", data(d, 12), list(f(row, "dns.ptr.domain_name")));
        same(frame, "malformed", d.getMalformed(), false);
    }

    private static List<String> data(Dns d, int type) {
        return d.getAnswers().stream().filter(a -> a.getType() == type).map(DnsAnswer::getData).toList();
    }

    private void compareTls(int frame, Tls t, String[] row) {
        if (t == null) {
            mismatches.add("frame " + frame + ": headerlog did not decode the TLS hello");
            return;
        }
        boolean client = t.getHandshakeType().equals("client_hello");
        same(frame, "handshake type", client ? 1 : 2, f(row, "tls.handshake.type"));
        same(frame, "record version", t.getRecordVersion(), Integer.decode(f(row, "tls.record.version")));
        same(frame, "hello version", t.getHelloVersion(), Integer.decode(f(row, "tls.handshake.version")));
        List<Integer> tsharkVersions = ints(f(row, "tls.handshake.extensions.supported_version")).stream()
                .filter(v -> !TlsHello.isGrease(v)).toList();
        List<Integer> tsharkSuites = ints(f(row, "tls.handshake.ciphersuite")).stream()
                .filter(v -> !TlsHello.isGrease(v)).toList();
        // tshark lists GREASE protocol ids (e.g. "ZZ", 0x5a5a); headerlog leaves them out by design
        same(frame, "alpn", t.getAlpn(), list(f(row, "tls.handshake.extensions_alpn_str")).stream()
                .filter(p -> !(p.length() == 2 && TlsHello.isGrease((p.charAt(0) << 8) | p.charAt(1))))
                .collect(Collectors.toList()));
        if (client) {
            same(frame, "sni", t.getSni() == null ? "" : t.getSni(), f(row, "tls.handshake.extensions_server_name"));
            same(frame, "supported versions", t.getSupportedVersions(), tsharkVersions);
            same(frame, "cipher suites", t.getCipherSuites(), tsharkSuites);
        } else {
            same(frame, "cipher suite", List.of(t.getCipherSuite()), tsharkSuites);
            same(frame, "selected version", t.getSelectedVersion(),
                    tsharkVersions.isEmpty() ? t.getHelloVersion() : tsharkVersions.get(0));
        }
        same(frame, "truncated", t.getTruncated(), false);
    }

    private void compareHttp(int frame, HttpParse h, String[] row) {
        if (h.kind() != HttpParse.Kind.COMPLETE) {
            mismatches.add("frame " + frame + ": headerlog parsed " + h.kind());
            return;
        }
        if (h.isRequest()) {
            same(frame, "method", h.method(), f(row, "http.request.method"));
            same(frame, "target", h.target(), f(row, "http.request.uri"));
            same(frame, "version", h.version(), f(row, "http.request.version"));
        } else {
            same(frame, "version", h.version(), f(row, "http.response.version"));
            same(frame, "status", h.statusCode(), f(row, "http.response.code"));
            same(frame, "reason", h.reason(), f(row, "http.response.phrase"));
        }
        List<String> lines = list(f(row, h.isRequest() ? "http.request.line" : "http.response.line"));
        List<RawHeader> tshark = lines.stream().map(l -> l.endsWith("\\r\\n") ? l.substring(0, l.length() - 4) : l)
                .map(l -> new RawHeader(l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).strip()))
                .toList();
        same(frame, "headers", h.headers(), tshark);
        same(frame, "truncated", h.truncated(), false);
    }

    // ---- random valid messages ------------------------------------------------------------------

    private String label() {
        String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        int n = 1 + rnd.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(chars.charAt(rnd.nextInt(chars.length())));
            if (i > 0 && i < n - 1 && rnd.nextInt(8) == 0) {
                sb.append('-');
            }
        }
        return sb.toString();
    }

    private String domain(String suffix) {
        StringBuilder sb = new StringBuilder(label());
        for (int i = rnd.nextInt(3); i > 0; i--) {
            sb.append('.').append(label());
        }
        return sb.append('.').append(suffix).toString();
    }

    private byte[] randomDns(int i) throws Exception {
        String zone = label() + ".example";
        boolean response = rnd.nextBoolean();
        int flags = response ? DnsMessage.QR | DnsMessage.RD | DnsMessage.RA | (rnd.nextBoolean() ? DnsMessage.AA : 0)
                | (rnd.nextInt(4) == 0 ? 3 : 0) : DnsMessage.RD | (rnd.nextBoolean() ? DnsMessage.AD : 0);
        DnsMessage m = new DnsMessage(rnd.nextInt(0x10000), flags, rnd.nextBoolean());
        String qname = domain(zone);
        int qtype = DNS_TYPES[rnd.nextInt(DNS_TYPES.length)];
        m.question(qname, qtype, 1);
        if (response) {
            String owner = qname;
            for (int a = rnd.nextInt(5); a > 0; a--) {
                long ttl = rnd.nextInt(4) == 0 ? 0xffffffffL - rnd.nextInt(100) : rnd.nextInt(86400);
                switch (rnd.nextInt(5)) {
                    case 0 -> {
                        String target = domain(zone);
                        m.answerName(owner, 5, ttl, target);
                        owner = target;
                    }
                    case 1 -> m.answerAddress(owner, ttl, "198.18." + rnd.nextInt(256) + "." + rnd.nextInt(256));
                    case 2 -> m.answerAddress(owner, ttl, "fd00:" + Integer.toHexString(rnd.nextInt(0x10000)) + "::"
                            + (rnd.nextBoolean() ? "" : Integer.toHexString(rnd.nextInt(0x10000))));
                    case 3 -> m.answerName(owner, 2, ttl, domain(zone));
                    default -> m.answerName(owner, 12, ttl, domain("in-addr.arpa"));
                }
            }
        }
        return m.build("dns-" + i).bytes();
    }

    private byte[] randomHello() {
        if (rnd.nextInt(3) == 0) {
            int suite = TlsHellos.OPENSSL_SUITES[rnd.nextInt(TlsHellos.OPENSSL_SUITES.length - 1)];
            return TlsHellos.serverHello(suite, rnd.nextBoolean() ? TlsHellos.TLS13 : null,
                    rnd.nextBoolean() ? ALPN[rnd.nextInt(ALPN.length)] : null).bytes();
        }
        List<String> alpn = new ArrayList<>();
        for (String p : ALPN) {
            if (rnd.nextBoolean()) {
                alpn.add(p);
            }
        }
        int[] suites = Arrays.stream(TlsHellos.OPENSSL_SUITES).filter(s -> rnd.nextInt(3) > 0).toArray();
        int[] versions = rnd.nextBoolean() ? new int[] {TlsHellos.TLS13, TlsHellos.TLS12} : new int[] {TlsHellos.TLS12};
        return TlsHellos.clientHello(rnd.nextInt(5) == 0 ? null : domain("example"), alpn.isEmpty() ? null : alpn,
                rnd.nextInt(4) == 0 ? null : versions, suites.length == 0 ? new int[] {0x1301} : suites, rnd.nextBoolean()).bytes();
    }

    private String randomHttp() {
        String[] names = {"Host", "User-Agent", "Accept", "Content-Type", "X-Request-ID", "traceparent", "Cookie",
            "Authorization", "Cache-Control", "X-Custom-" + label(), "Accept-Language", "If-None-Match"};
        StringBuilder sb = new StringBuilder();
        boolean request = rnd.nextBoolean();
        int body = 0;
        if (request) {
            String method = HttpParser.METHODS.get(rnd.nextInt(HttpParser.METHODS.size()));
            sb.append(method).append(" /").append(label()).append(rnd.nextBoolean() ? "?q=" + label() + "&x=%20" : "")
                    .append(rnd.nextBoolean() ? " HTTP/1.1" : " HTTP/1.0").append("\r\n");
        } else {
            int[] codes = {200, 201, 301, 302, 400, 403, 404, 500, 503};
            int code = codes[rnd.nextInt(codes.length)];
            sb.append("HTTP/1.1 ").append(code).append(' ').append(rnd.nextBoolean() ? "Reason " + label() : "OK").append("\r\n");
            body = rnd.nextInt(40);
        }
        for (int i = rnd.nextInt(12); i > 0; i--) {
            String value = label() + (rnd.nextBoolean() ? " " + label() + "=" + label() + ";" : "");
            String ows = rnd.nextInt(4) == 0 ? "  " : " ";
            sb.append(names[rnd.nextInt(names.length)]).append(':').append(ows).append(value).append(rnd.nextInt(5) == 0 ? " " : "")
                    .append("\r\n");
        }
        if (!request) {
            sb.append("Content-Length: ").append(body).append("\r\n");
        }
        return sb.append("\r\n").append("x".repeat(body)).toString();
    }
}
