package io.headerlog.collector.l7;

import static io.headerlog.collector.l7.DnsMessage.AA;
import static io.headerlog.collector.l7.DnsMessage.QR;
import static io.headerlog.collector.l7.DnsMessage.RA;
import static io.headerlog.collector.l7.DnsMessage.RD;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Seeds and mutations for {@link ApplicationParsersFuzzTest}: valid HTTP, DNS and TLS messages, and
 * the ways real captures and attackers break them — bit flips, cuts, insertions, deletions, length
 * fields set to boundary values, DNS compression pointers aimed at themselves, forward or at random,
 * protocol delimiters dropped in, and splices of two messages.
 */
final class FuzzCorpus {
    private static final byte[] SPECIAL = {'\r', '\n', ' ', ':', '\t', 0, 0x7f, (byte) 0x80, (byte) 0xc0, (byte) 0xff, '-', ',', '.'};
    private static final byte[][] PREFIXES = {
        "GET ".getBytes(StandardCharsets.US_ASCII),
        "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII),
        "POST /x HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII),
        {22, 3, 1},
        {22, 3, 3, 0, 80, 1, 0, 0, 76, 3, 3},
        {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0},
        {0x12, 0x34, (byte) 0x81, (byte) 0x80, 0, 1, 0, 2, 0, 0, 0, 0},
    };

    private final List<Sample> seeds;
    private final Random rnd;

    FuzzCorpus(Random rnd) throws Exception {
        this.rnd = rnd;
        this.seeds = buildSeeds();
    }

    /** One fuzz input: random bytes (1 in 8, often behind a protocol prefix) or a mutated seed. */
    byte[] next() {
        if (rnd.nextInt(8) == 0) {
            return randomBytes();
        }
        Sample s = seeds.get(rnd.nextInt(seeds.size()));
        byte[] b = s.bytes();
        int rounds = 1 + rnd.nextInt(3);
        for (int i = 0; i < rounds; i++) {
            b = mutate(s, b);
        }
        return b;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[rnd.nextInt(600)];
        rnd.nextBytes(b);
        if (b.length > 12 && rnd.nextBoolean()) {
            byte[] p = PREFIXES[rnd.nextInt(PREFIXES.length)];
            System.arraycopy(p, 0, b, 0, Math.min(p.length, b.length));
        }
        return b;
    }

    private byte[] mutate(Sample s, byte[] b) {
        if (b.length == 0) {
            return b;
        }
        switch (rnd.nextInt(9)) {
            case 0: { // bit flips
                byte[] m = b.clone();
                for (int i = 1 + rnd.nextInt(8); i > 0; i--) {
                    int at = rnd.nextInt(m.length);
                    m[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                return m;
            }
            case 1: // truncation, as a snap length or a lost segment does
                return Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            case 2: { // insertion
                byte[] ins = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(ins);
                if (rnd.nextBoolean()) {
                    Arrays.fill(ins, SPECIAL[rnd.nextInt(SPECIAL.length)]);
                }
                return splice(b, rnd.nextInt(b.length + 1), 0, ins);
            }
            case 3: { // deletion
                int at = rnd.nextInt(b.length);
                return splice(b, at, 1 + rnd.nextInt(Math.min(32, b.length - at)), new byte[0]);
            }
            case 4:
                return corruptLength(s, b);
            case 5:
                return compressionPointer(s, b);
            case 6: { // protocol delimiters where they do not belong
                byte[] m = b.clone();
                for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
                    m[rnd.nextInt(m.length)] = SPECIAL[rnd.nextInt(SPECIAL.length)];
                }
                return m;
            }
            case 7: { // the head of one message on the tail of another
                byte[] other = seeds.get(rnd.nextInt(seeds.size())).bytes();
                int cut = rnd.nextInt(b.length + 1);
                int from = rnd.nextInt(other.length + 1);
                return splice(Arrays.copyOf(b, cut), cut, 0, Arrays.copyOfRange(other, from, other.length));
            }
            default: { // the message repeated, as in pipelining
                byte[] m = Arrays.copyOf(b, b.length * 2);
                System.arraycopy(b, 0, m, b.length, b.length);
                return m;
            }
        }
    }

    /** A length field of the seed set to 0, 1, its maximum, off by one, or random. */
    private byte[] corruptLength(Sample s, byte[] b) {
        int[] fields = s.lengthFields();
        if (fields.length == 0) {
            byte[] m = b.clone();
            int at = rnd.nextInt(m.length);
            m[at] = (byte) (rnd.nextBoolean() ? 0xff : 0);
            return m;
        }
        int f = fields[rnd.nextInt(fields.length)];
        int at = f / 4;
        int width = f % 4;
        if (at + width > b.length) {
            return b;
        }
        long max = (1L << (8 * width)) - 1;
        long current = 0;
        for (int i = 0; i < width; i++) {
            current = (current << 8) | (b[at + i] & 0xff);
        }
        long[] choices = {0, 1, max, max - 1, current + 1, current - 1, current * 2, rnd.nextLong() & max};
        long v = choices[rnd.nextInt(choices.length)] & max;
        byte[] m = b.clone();
        for (int i = width - 1; i >= 0; i--) {
            m[at + i] = (byte) v;
            v >>>= 8;
        }
        return m;
    }

    /** A compression pointer at a name: to itself, forward, into the header, at another name, or random. */
    private byte[] compressionPointer(Sample s, byte[] b) {
        int[] names = s.nameOffsets();
        if (names.length == 0 || b.length < 14) {
            return b;
        }
        int at = Math.min(names[rnd.nextInt(names.length)] + (rnd.nextInt(4) == 0 ? rnd.nextInt(8) : 0), b.length - 2);
        int[] targets = {at, at + 2, at - 1, rnd.nextInt(12), names[rnd.nextInt(names.length)], rnd.nextInt(0x4000), 12};
        int target = targets[rnd.nextInt(targets.length)] & 0x3fff;
        byte[] m = b.clone();
        m[at] = (byte) (0xc0 | (target >>> 8));
        m[at + 1] = (byte) target;
        return m;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] m = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, m, 0, at);
        System.arraycopy(insert, 0, m, at, insert.length);
        System.arraycopy(b, at + remove, m, at + insert.length, b.length - at - remove);
        return m;
    }

    private static List<Sample> buildSeeds() throws Exception {
        List<Sample> s = new ArrayList<>();
        for (String http : httpSeeds()) {
            s.add(Sample.of("http", http.getBytes(StandardCharsets.ISO_8859_1)));
        }
        for (String hex : List.of(CapturedMessages.DIG_QUERY_A, CapturedMessages.DNSMASQ_RESPONSE_CNAME_A,
                CapturedMessages.DIG_QUERY_AAAA, CapturedMessages.DNSMASQ_RESPONSE_AAAA)) {
            s.add(Sample.of("dns", CapturedMessages.bytes(hex)));
        }
        s.add(new DnsMessage(7, QR | AA | RD | RA)
                .question("10.0.18.198.in-addr.arpa", 12, 1)
                .answerName("10.0.18.198.in-addr.arpa", 12, 3600, "host.b.example")
                .answerName("b.example", 2, 86400, "ns1.b.example")
                .answerName("www.b.example", 5, 300, "cdn.b.example")
                .answerAddress("cdn.b.example", 60, "198.18.0.53")
                .answerAddress("cdn.b.example", 60, "fd00::53")
                .opt(1232)
                .build("dns-compressed"));
        s.add(new DnsMessage(8, QR | RD | RA, false)
                .question("plain.example", 28, 1)
                .answerAddress("plain.example", 60, "fd00:18::2")
                .build("dns-uncompressed"));
        DnsMessage many = new DnsMessage(9, QR);
        for (int i = 0; i < 35; i++) {
            many.question("m" + i + ".example", 1, 1);
        }
        for (int i = 0; i < 35; i++) {
            many.answerAddress("m" + i + ".example", i, "198.18.2." + i);
        }
        s.add(many.build("dns-many"));
        s.add(new DnsMessage(10, RD).question(".", 2, 1).build("dns-root"));
        Sample tcpDns = new DnsMessage(11, QR | RD | RA).question("tcp.example", 1, 1)
                .answerAddress("tcp.example", 1, "198.18.0.9").build("dns-tcp");
        byte[] framed = new Wire().u16(tcpDns.bytes().length).bytes(tcpDns.bytes()).toBytes();
        int[] lengths = IntStream.concat(IntStream.of(0 * 4 + 2), Arrays.stream(tcpDns.lengthFields()).map(f -> f + 2 * 4)).toArray();
        s.add(new Sample("dns-tcp", framed, lengths, Arrays.stream(tcpDns.nameOffsets()).map(o -> o + 2).toArray()));

        s.add(Sample.of("tls", CapturedMessages.curlClientHello()));
        s.add(Sample.of("tls", CapturedMessages.bytes(CapturedMessages.SERVER_HELLO_TLS13 + "140303000101")));
        s.add(TlsHellos.opensslClientHello("fuzz.example"));
        s.add(TlsHellos.clientHello("grease.example", List.of("h2", "http/1.1", "h3"), new int[] {0x0304, 0x0303},
                TlsHellos.OPENSSL_SUITES, true));
        s.add(TlsHellos.clientHello(null, null, null, new int[] {0x002f}, false));
        s.add(TlsHellos.serverHello(0x1301, 0x0304, null));
        s.add(TlsHellos.serverHello(0xc02f, null, "http/1.1"));
        byte[] whole = TlsHellos.opensslClientHello("split.example").bytes();
        s.add(Sample.of("tls-split", twoRecords(whole, 40)));
        return s;
    }

    private static byte[] twoRecords(byte[] record, int k) {
        int body = record.length - 5;
        return new Wire().bytes(Arrays.copyOf(record, 3)).u16(k).bytes(Arrays.copyOfRange(record, 5, 5 + k))
                .bytes(Arrays.copyOf(record, 3)).u16(body - k).bytes(Arrays.copyOfRange(record, 5 + k, record.length))
                .toBytes();
    }

    private static List<String> httpSeeds() {
        StringBuilder big = new StringBuilder("GET /big HTTP/1.1\r\nHost: big.example\r\n");
        for (int i = 0; i < 60; i++) {
            big.append("X-Filler-").append(i).append(": ").append("v".repeat(60)).append("\r\n");
        }
        big.append("\r\n");
        return List.of(
                HttpParserTest.CURL_GET,
                HttpParserTest.NGINX_200_HEAD + "<!DOCTYPE html>",
                "POST /api HTTP/1.1\r\nHost: b\r\nContent-Length: 5\r\n\r\nhello" + HttpParserTest.CURL_GET,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                "GET / HTTP/1.0\nHost: lf\nAccept: */*\n\n",
                "GET /s HTTP/1.1\r\nHost: s\r\nAuthorization: Bearer abc.def\r\nCookie: a=1; b=2\r\n"
                        + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
                        + "X-Request-ID: 7f1c-22\r\n\r\n",
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 404 Not Found\r\nServer: nginx\r\nX-Fold: a\r\n b\r\n\r\n",
                big.toString());
    }
}
