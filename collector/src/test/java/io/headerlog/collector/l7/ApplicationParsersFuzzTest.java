package io.headerlog.collector.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.l7.HttpParse.Kind;
import io.headerlog.schema.Dns;
import io.headerlog.schema.HttpHeader;
import io.headerlog.schema.Tls;
import io.headerlog.schema.TraceContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * Feeds 120,000 seeded inputs — random bytes and mutations of valid HTTP, DNS and TLS messages
 * ({@link FuzzCorpus}) — to every application-layer parser, in buffers of both byte orders, heap and
 * direct, at offsets, with lengths past the buffer's end. Nothing may escape a parser; every result
 * must keep its limits ({@link RecordLimits}), encode as Avro, and not depend on where the bytes sit.
 * The seed is fixed, so a failure names an input index that reproduces.
 */
class ApplicationParsersFuzzTest {
    private static final long SEED = 0x4ead_e210_9f3cL;
    private static final int INPUTS = 120_000;
    private static final int[] MAX_HEADER_BYTES = {64, 300, 1024, 8192};

    private final Counts counts = new Counts();
    private ByteBuffer heap = ByteBuffer.allocate(1 << 16);
    private ByteBuffer direct = ByteBuffer.allocateDirect(1 << 16);
    private final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(OutputStream.nullOutputStream(), null);
    private final SpecificDatumWriter<HttpHeader> headerWriter = new SpecificDatumWriter<>(HttpHeader.class);
    private final SpecificDatumWriter<Dns> dnsWriter = new SpecificDatumWriter<>(Dns.class);
    private final SpecificDatumWriter<Tls> tlsWriter = new SpecificDatumWriter<>(Tls.class);

    /** How often each parser got past its first check: proof the inputs reach deep, not a tally to tune. */
    private static final class Counts {
        int httpComplete;
        int httpIncomplete;
        int httpTooLong;
        int httpStoppedEarly;
        int pipelined;
        int dns;
        int dnsMalformed;
        int dnsAnswers;
        int tls;
        int tlsTruncated;
        int traceContexts;
    }

    @Test
    void shouldNeverThrowAndKeepEveryRecordWithinItsLimits() throws Exception {
        Random rnd = new Random(SEED);
        FuzzCorpus corpus = new FuzzCorpus(rnd);

        for (int i = 0; i < INPUTS; i++) {
            byte[] input = corpus.next();
            try {
                feed(input, rnd);
            } catch (Throwable t) {
                throw new AssertionError("input #" + i + " of seed " + Long.toHexString(SEED) + " (" + input.length
                        + " bytes): " + HexFormat.of().formatHex(input), t);
            }
        }

        assertThat(counts.httpComplete).as("complete HTTP headers").isGreaterThan(INPUTS / 20);
        assertThat(counts.httpIncomplete).as("incomplete HTTP").isGreaterThan(INPUTS / 100);
        assertThat(counts.httpTooLong).as("too long HTTP").isGreaterThan(INPUTS / 100);
        assertThat(counts.httpStoppedEarly).as("malformed HTTP lines").isGreaterThan(INPUTS / 200);
        assertThat(counts.pipelined).as("pipelined HTTP").isGreaterThan(INPUTS / 200);
        assertThat(counts.dns).as("DNS records").isGreaterThan(INPUTS / 10);
        assertThat(counts.dnsMalformed).as("malformed DNS").isGreaterThan(INPUTS / 100);
        assertThat(counts.dnsAnswers).as("DNS answers").isGreaterThan(INPUTS / 20);
        assertThat(counts.tls).as("TLS hellos").isGreaterThan(INPUTS / 10);
        assertThat(counts.tlsTruncated).as("truncated TLS").isGreaterThan(INPUTS / 100);
        assertThat(counts.traceContexts).as("traceparents").isGreaterThan(INPUTS / 1000);
    }

    private void feed(byte[] input, Random rnd) throws IOException {
        int pad = rnd.nextInt(4) == 0 ? rnd.nextInt(9) : 0;
        ByteBuffer buf = place(input, pad, rnd);
        // sometimes claim more bytes than the buffer holds: the parsers must cut to its limit
        int len = rnd.nextInt(10) == 0 ? input.length + rnd.nextInt(64) : input.length;
        int max = MAX_HEADER_BYTES[rnd.nextInt(MAX_HEADER_BYTES.length)];

        HttpParse http = http(buf, pad, len, input.length, max);
        Dns dns = dns(buf, pad, len);
        Tls tls = tls(buf, pad, len, input.length);

        if (rnd.nextInt(8) == 0) {
            // the same bytes at offset 0 of a plain heap buffer must give the same answers
            ByteBuffer plain = ByteBuffer.wrap(input);
            HttpParse again = HttpParser.parse(plain, 0, input.length, max);
            RecordLimits.check(sameHttp(http, pad, again), "HTTP result depends on the buffer");
            RecordLimits.check(java.util.Objects.equals(dns, DnsParser.parse(plain, 0, input.length, "udp")), "DNS result depends on the buffer");
            RecordLimits.check(java.util.Objects.equals(tls, TlsParser.parse(plain, 0, input.length)), "TLS result depends on the buffer");
        }
        TraceContext t = TraceParent.parse(new String(input, 0, Math.min(input.length, 80), StandardCharsets.ISO_8859_1));
        if (t != null) {
            RecordLimits.traceContext(t);
        }
    }

    private HttpParse http(ByteBuffer buf, int off, int len, int avail, int max) throws IOException {
        HttpParse r = HttpParser.parse(buf, off, len, max);
        RecordLimits.http(r, off, avail, max);
        if (!r.isHttp()) {
            return r;
        }
        switch (r.kind()) {
            case COMPLETE -> counts.httpComplete++;
            case INCOMPLETE -> counts.httpIncomplete++;
            default -> counts.httpTooLong++;
        }
        if (r.kind() == Kind.COMPLETE && r.truncated()) {
            counts.httpStoppedEarly++;
        }
        for (RawHeader h : r.headers()) {
            headerWriter.write(HttpHeader.newBuilder().setName(h.name()).setValue(h.value()).build(), encoder);
            if (h.is("traceparent")) {
                TraceContext t = TraceParent.parse(h.value());
                if (t != null) {
                    RecordLimits.traceContext(t);
                    counts.traceContexts++;
                }
            }
        }
        long next = r.nextMessageOffset();
        if (next > off && next < off + avail) {
            counts.pipelined++;
            int n = (int) next;
            RecordLimits.http(HttpParser.parse(buf, n, off + avail - n, max), n, off + avail - n, max);
        }
        return r;
    }

    private Dns dns(ByteBuffer buf, int off, int len) throws IOException {
        Dns d = DnsParser.parse(buf, off, len, "udp");
        if (d != null) {
            RecordLimits.dns(d);
            dnsWriter.write(d, encoder);
            counts.dns++;
            counts.dnsMalformed += d.getMalformed() ? 1 : 0;
            counts.dnsAnswers += d.getAnswers().isEmpty() ? 0 : 1;
        }
        int framed = DnsParser.tcpMessageLength(buf, off, len);
        if (framed > 0) {
            Dns t = DnsParser.parse(buf, off + 2, Math.min(framed, len - 2), "tcp");
            if (t != null) {
                RecordLimits.dns(t);
                RecordLimits.check(t.getTransport().equals("tcp"), "transport");
            }
        }
        return d;
    }

    private Tls tls(ByteBuffer buf, int off, int len, int avail) throws IOException {
        Tls t = TlsParser.parse(buf, off, len);
        int needed = TlsParser.bytesNeeded(buf, off, len);
        if (t != null) {
            RecordLimits.tls(t);
            tlsWriter.write(t, encoder);
            counts.tls++;
            counts.tlsTruncated += t.getTruncated() ? 1 : 0;
            RecordLimits.check(needed > 0, "a hello that bytesNeeded does not recognise");
            RecordLimits.check(needed <= avail || t.getTruncated(), "more bytes needed but not truncated");
        }
        return t;
    }

    /**
     * Heap or direct, either byte order, sometimes read-only, with pad bytes before the input and
     * the limit right after it. The two buffers are reused: allocating a direct buffer per input
     * would dominate the run time.
     */
    private ByteBuffer place(byte[] input, int pad, Random rnd) {
        int need = pad + input.length;
        if (need > heap.capacity()) {
            heap = ByteBuffer.allocate(2 * need);
            direct = ByteBuffer.allocateDirect(2 * need);
        }
        ByteBuffer b = (rnd.nextBoolean() ? heap : direct).clear();
        b.order(rnd.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < pad; i++) {
            b.put(i, (byte) rnd.nextInt());
        }
        b.put(pad, input).limit(need);
        return rnd.nextInt(4) == 0 ? b.asReadOnlyBuffer().order(b.order()) : b;
    }

    private static boolean sameHttp(HttpParse atPad, int pad, HttpParse atZero) {
        int shifted = atPad.bodyOffset() < 0 ? -1 : atPad.bodyOffset() - pad;
        return atPad.kind() == atZero.kind() && java.util.Objects.equals(atPad.method(), atZero.method())
                && java.util.Objects.equals(atPad.target(), atZero.target())
                && java.util.Objects.equals(atPad.version(), atZero.version())
                && java.util.Objects.equals(atPad.statusCode(), atZero.statusCode())
                && java.util.Objects.equals(atPad.reason(), atZero.reason())
                && atPad.headers().equals(atZero.headers()) && atPad.headerBytes() == atZero.headerBytes()
                && shifted == atZero.bodyOffset() && java.util.Objects.equals(atPad.contentLength(), atZero.contentLength())
                && atPad.truncated() == atZero.truncated();
    }
}
