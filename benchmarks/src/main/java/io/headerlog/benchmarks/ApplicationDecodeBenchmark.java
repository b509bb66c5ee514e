package io.headerlog.benchmarks;

import io.headerlog.collector.decode.HttpMessages;
import io.headerlog.collector.decode.PacketDecoder;
import io.headerlog.collector.l7.DnsParser;
import io.headerlog.collector.l7.HttpParse;
import io.headerlog.collector.l7.HttpParser;
import io.headerlog.collector.l7.TlsParser;
import io.headerlog.collector.pipeline.ApplicationLayer;
import io.headerlog.collector.policy.HeaderPolicy;
import io.headerlog.collector.policy.HeaderPolicyConfig;
import io.headerlog.collector.policy.SecretTokenizer;
import io.headerlog.collector.reassembly.ReassemblyLimits;
import io.headerlog.collector.time.WallClock;
import io.headerlog.schema.Dns;
import io.headerlog.schema.GeneratedSchemas;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tls;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per packet to decode the application layer of (a) a TCP packet carrying an HTTP
 * request, (b) a DNS response, (c) a TLS ClientHello — through the l7 parsers alone, on the
 * payload — and (d–f) the same three packets as ring records through the collector's whole decode
 * path: {@link PacketDecoder#decodePacket} (L2–L4 fields, Community ID, wall clock) then
 * {@link ApplicationLayer#process} (detection, parsers, the default header policy with HMAC
 * tokens for Authorization and Cookie, Avro records). {@code l2l4Record} is the same HTTP record
 * without its application layer, for the difference.
 *
 * <p>Run on demand, never as a test: {@code java -jar benchmarks/target/headerlog-benchmarks.jar
 * ApplicationDecode} (JMH options follow, e.g. {@code -f 1 -wi 2 -i 3}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ApplicationDecodeBenchmark {
    /** The collector's largest snap length: an HTTP header block may take this much. */
    private static final int MAX_HEADER_BYTES = 8192;

    private ByteBuffer httpPayload;
    private ByteBuffer dnsPayload;
    private ByteBuffer tlsPayload;
    private ByteBuffer httpRecord;
    private ByteBuffer dnsRecord;
    private ByteBuffer tlsRecord;
    private PacketDecoder decoder;
    private ApplicationLayer application;
    private PacketHeader last;
    private final Consumer<PacketHeader> keepLast = r -> last = r;

    @Setup
    public void setUp() {
        GeneratedSchemas.trust();
        httpPayload = SyntheticPackets.payload(SyntheticPackets.HTTP_REQUEST);
        dnsPayload = SyntheticPackets.payload(SyntheticPackets.DNS_RESPONSE);
        tlsPayload = SyntheticPackets.payload(SyntheticPackets.TLS_CLIENT_HELLO);
        httpRecord = SyntheticPackets.tcpRecord(SyntheticPackets.HTTP_REQUEST, 8080);
        dnsRecord = SyntheticPackets.udpRecord(SyntheticPackets.DNS_RESPONSE);
        tlsRecord = SyntheticPackets.tcpRecord(SyntheticPackets.TLS_CLIENT_HELLO, 443);
        decoder = new PacketDecoder("bench", i -> "eth0", WallClock.system(Duration.ofSeconds(5), Duration.ZERO));
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0x5a); // a fixed key: the benchmark must not create key files
        HeaderPolicy policy = new HeaderPolicy(HeaderPolicyConfig.defaults(), new SecretTokenizer(key));
        application = new ApplicationLayer(new HttpMessages(policy), ReassemblyLimits.defaults());
        check();
    }

    /** A benchmark of a parse that fails would measure the wrong thing: refuse to start. */
    private void check() {
        if (httpRequest().kind() != HttpParse.Kind.COMPLETE || dnsResponse() == null || tlsClientHello() == null) {
            throw new IllegalStateException("a benchmark packet does not parse; fix SyntheticPackets");
        }
        if (httpRequestRecord().getHttp() == null || dnsResponseRecord().getDns() == null
                || tlsClientHelloRecord().getTls() == null) {
            throw new IllegalStateException("the collector's decode path did not decode a benchmark packet");
        }
    }

    /** Every packet holds a whole message: nothing may stay held for reassembly between operations. */
    @TearDown
    public void tearDown() {
        if (application.heldRecords() != 0) {
            throw new IllegalStateException(application.heldRecords() + " records held: the benchmark measured reassembly");
        }
    }

    @Benchmark
    public HttpParse httpRequest() {
        return HttpParser.parse(httpPayload, 0, httpPayload.limit(), MAX_HEADER_BYTES);
    }

    @Benchmark
    public Dns dnsResponse() {
        return DnsParser.parse(dnsPayload, 0, dnsPayload.limit(), "udp");
    }

    @Benchmark
    public Tls tlsClientHello() {
        return TlsParser.parse(tlsPayload, 0, tlsPayload.limit());
    }

    @Benchmark
    public PacketHeader httpRequestRecord() {
        return throughCollector(httpRecord);
    }

    @Benchmark
    public PacketHeader dnsResponseRecord() {
        return throughCollector(dnsRecord);
    }

    @Benchmark
    public PacketHeader tlsClientHelloRecord() {
        return throughCollector(tlsRecord);
    }

    @Benchmark
    public PacketHeader l2l4Record() {
        return decoder.decode(httpRecord, 0, httpRecord.limit());
    }

    private PacketHeader throughCollector(ByteBuffer record) {
        application.process(decoder.decodePacket(record, 0, record.limit()), keepLast);
        return last;
    }
}
