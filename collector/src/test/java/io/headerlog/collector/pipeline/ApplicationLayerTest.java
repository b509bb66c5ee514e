package io.headerlog.collector.pipeline;

import static io.headerlog.collector.bpf.EventLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.decode.HttpMessages;
import io.headerlog.collector.decode.PacketDecoder;
import io.headerlog.collector.policy.HeaderPolicy;
import io.headerlog.collector.policy.HeaderPolicyConfig;
import io.headerlog.collector.policy.SecretTokenizer;
import io.headerlog.collector.reassembly.ReassemblyLimits;
import io.headerlog.collector.time.WallClock;
import io.headerlog.schema.HttpHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.testing.L7Payloads;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The application layer on synthetic ring records: detection, reassembly, holding, pipelining. */
class ApplicationLayerTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long SEQ = 0xFFFF_FF00L; // close to the wrap, on purpose

    private final PacketDecoder decoder = new PacketDecoder("h", i -> "veth" + i,
            new WallClock(Duration.ofHours(1), Duration.ZERO, () -> 0, () -> 0));
    private final HeaderPolicy policy = new HeaderPolicy(HeaderPolicyConfig.defaults(), new SecretTokenizer(KEY));
    private final ApplicationLayer layer = new ApplicationLayer(new HttpMessages(policy),
            new ReassemblyLimits(16384, 64, 1 << 20, Duration.ofSeconds(2)));
    private final List<PacketHeader> out = new ArrayList<>();

    /** A TCP record (IPv4, port 40000 → 8080 unless given) carrying {@code payload} at {@code seq}. */
    private static ByteBuffer tcp(long seq, int flags, byte[] payload, int wireLen, int sport, int dport) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(SIZE + Math.max(payload.length, 1)).order(ByteOrder.nativeOrder());
        b.put(IP_SRC, InetAddress.getByName("198.18.0.1").getAddress());
        b.put(IP_DST, InetAddress.getByName("198.18.0.2").getAddress());
        b.put(IP_VERSION, (byte) 4).put(IP_PROTO, (byte) 6).put(PARSE_FLAGS, (byte) PF_L4_PARSED);
        b.putShort(ETH_TYPE, (short) 0x0800).putInt(IFINDEX, 3).put(DIRECTION, (byte) DIR_INGRESS);
        b.putShort(SPORT, (short) sport).putShort(DPORT, (short) dport).putInt(TCP_SEQ, (int) seq);
        b.putShort(TCP_FLAGS, (short) flags).putShort(SNAP_LEN, (short) payload.length).putInt(PAYLOAD_LEN, wireLen);
        b.putLong(MONO_NS, seq);
        b.put(PAYLOAD, payload);
        return b;
    }

    private void feed(long seq, byte[] payload) throws Exception {
        feed(seq, 0x18, payload, payload.length);
    }

    private void feed(long seq, int flags, byte[] payload, int wireLen) throws Exception {
        ByteBuffer b = tcp(seq, flags, payload, wireLen, 40000, 8080);
        layer.process(decoder.decodePacket(b, 0, SIZE + payload.length), out::add);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[][] split(byte[] whole, int... cuts) {
        byte[][] parts = new byte[cuts.length + 1][];
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : whole.length;
            parts[i] = java.util.Arrays.copyOfRange(whole, from, to);
            from = to;
        }
        return parts;
    }

    @Test
    void shouldPutASingleSegmentRequestOnItsOwnRecordAfterThePolicy() throws Exception {
        feed(SEQ, ascii("GET /a?x=1 HTTP/1.1\r\nHost: svc\r\nAuthorization: Bearer s3cr3t-value\r\n"
                + "X-Request-ID: r-1\r\ntraceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n\r\n"));

        assertThat(out).hasSize(1);
        var http = out.get(0).getHttp();
        assertThat(http.getMethod()).isEqualTo("GET");
        assertThat(http.getTarget()).isEqualTo("/a?x=1");
        assertThat(http.getHost()).isEqualTo("svc");
        assertThat(http.getRequestId()).isEqualTo("r-1");
        assertThat(http.getTraceparent().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(http.getTraceparent().getFlags()).isEqualTo(1);
        assertThat(http.getSegments()).isEqualTo(1);
        assertThat(http.getTruncated()).isFalse();
        HttpHeader auth = http.getHeaders().stream().filter(h -> h.getName().equals("Authorization")).findFirst().orElseThrow();
        assertThat(auth.getValue()).startsWith("hmac:").doesNotContain("s3cr3t");
        assertThat(out.get(0).toString()).doesNotContain("s3cr3t");
        assertThat(layer.counters().http()).isEqualTo(1);
    }

    @Test
    void shouldHoldTheFirstRecordUntilAHeaderBlockSpreadOverSegmentsIsComplete() throws Exception {
        byte[] block = L7Payloads.httpHeaderBlock("GET /big HTTP/1.1", 4000);
        byte[][] parts = split(block, 1400, 2800);

        feed(SEQ, parts[0]);
        assertThat(out).as("the start is held").isEmpty();
        feed(SEQ + 1400, parts[1]);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getHttp()).as("a continuation record carries no message").isNull();
        feed(SEQ + 2800, parts[2]);

        assertThat(out).hasSize(3);
        assertThat(out).extracting(PacketHeader::getMonoTimeNs).as("published when complete, before the completing segment")
                .containsExactly(SEQ + 1400, SEQ, SEQ + 2800);
        PacketHeader start = out.get(1);
        assertThat(start.getMonoTimeNs()).as("the held record is the first segment's").isEqualTo(SEQ);
        assertThat(start.getHttp().getTarget()).isEqualTo("/big");
        assertThat(start.getHttp().getSegments()).isEqualTo(3);
        assertThat(start.getHttp().getHeaderBytes()).isEqualTo(4000);
        assertThat(start.getHttp().getTruncated()).isFalse();
        assertThat(layer.heldRecords()).isZero();
        assertThat(layer.counters().reassembled()).isEqualTo(1);
    }

    @Test
    void shouldCompleteAMessageWhoseSegmentsArriveOutOfOrder() throws Exception {
        byte[] block = L7Payloads.httpHeaderBlock("POST /o HTTP/1.1", 3000);
        byte[][] parts = split(block, 1000, 2000);

        feed(SEQ, parts[0]);
        feed(SEQ + 2000, parts[2]);
        assertThat(out.stream().filter(r -> r.getHttp() != null)).isEmpty();
        feed(SEQ + 1000, parts[1]);

        PacketHeader start = out.stream().filter(r -> r.getHttp() != null).findFirst().orElseThrow();
        assertThat(start.getHttp().getMethod()).isEqualTo("POST");
        assertThat(start.getHttp().getHeaderBytes()).isEqualTo(3000);
        assertThat(start.getHttp().getSegments()).isEqualTo(3);
    }

    @Test
    void shouldPublishAStalledMessageAsTruncatedAfterTheIdleTimeout() throws Exception {
        byte[] block = L7Payloads.httpHeaderBlock("GET /stall HTTP/1.1", 3000);
        feed(SEQ, split(block, 1000)[0]);
        layer.expire(SEQ + Duration.ofSeconds(1).toNanos(), out::add);
        assertThat(out).isEmpty();

        layer.expire(SEQ + Duration.ofSeconds(3).toNanos(), out::add);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).getHttp().getTarget()).isEqualTo("/stall");
        assertThat(out.get(0).getHttp().getTruncated()).isTrue();
        assertThat(out.get(0).getHttp().getHeaderBytes()).isEqualTo(1000);
        assertThat(layer.counters().truncated()).isEqualTo(1);
    }

    @Test
    void shouldPublishAHeldMessageAsTruncatedWhenTheStreamIsReset() throws Exception {
        feed(SEQ, split(L7Payloads.httpHeaderBlock("GET /rst HTTP/1.1", 3000), 1000)[0]);
        feed(SEQ + 1000, 0x04, new byte[0], 0);

        assertThat(out).hasSize(2);
        assertThat(out).filteredOn(r -> r.getHttp() != null).singleElement()
                .satisfies(r -> assertThat(r.getHttp().getTruncated()).isTrue());
    }

    @Test
    void shouldGiveEachPipelinedRequestItsOwnRecord() throws Exception {
        feed(SEQ, ascii("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\n\r\n"));

        assertThat(out).hasSize(3);
        assertThat(out).extracting(r -> r.getHttp().getTarget()).containsExactly("/1", "/2", "/3");
        assertThat(out).extracting(PacketHeader::getAppMessageIndex).containsExactly(0, 1, 2);
        assertThat(out.get(1).getIp()).isEqualTo(out.get(0).getIp());
    }

    @Test
    void shouldFindTheNextMessageThatStartsInsideTheSegmentCompletingTheLastOne() throws Exception {
        byte[] first = L7Payloads.httpHeaderBlock("GET /first HTTP/1.1", 1500);
        byte[] second = ascii("GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
        byte[] stream = L7Payloads.concat(first, second);
        byte[][] parts = split(stream, 1000);

        feed(SEQ, parts[0]);
        feed(SEQ + 1000, parts[1]);

        assertThat(out).hasSize(2);
        assertThat(out.get(0).getHttp().getTarget()).isEqualTo("/first");
        assertThat(out.get(1).getHttp().getTarget()).as("on the second segment's own record").isEqualTo("/second");
        assertThat(out.get(1).getAppMessageIndex()).isZero();
    }

    @Test
    void shouldMarkAStartCutByTheSnapLengthAsTruncatedAtOnce() throws Exception {
        byte[] block = L7Payloads.httpHeaderBlock("GET /cut HTTP/1.1", 3000);
        feed(SEQ, 0x18, java.util.Arrays.copyOf(block, 512), 3000);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).getHttp().getTarget()).isEqualTo("/cut");
        assertThat(out.get(0).getHttp().getTruncated()).isTrue();
        assertThat(layer.heldRecords()).isZero();
    }

    @Test
    void shouldReassembleATlsClientHelloOverTwoSegments() throws Exception {
        byte[] hello = L7Payloads.tlsClientHello("svc.hl.test", 1800);
        byte[][] parts = split(hello, 1000);
        ByteBuffer first = tcp(SEQ, 0x18, parts[0], parts[0].length, 40001, 443);
        layer.process(decoder.decodePacket(first, 0, SIZE + parts[0].length), out::add);
        assertThat(out).isEmpty();
        ByteBuffer second = tcp(SEQ + 1000, 0x18, parts[1], parts[1].length, 40001, 443);
        layer.process(decoder.decodePacket(second, 0, SIZE + parts[1].length), out::add);

        PacketHeader start = out.stream().filter(r -> r.getTls() != null).findFirst().orElseThrow();
        assertThat(start.getTls().getHandshakeType()).isEqualTo("client_hello");
        assertThat(start.getTls().getSni()).isEqualTo("svc.hl.test");
        assertThat(start.getTls().getTruncated()).isFalse();
        assertThat(layer.counters().tls()).isEqualTo(1);
    }

    private static final byte[] DNS_QUERY = {
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        3, 'w', 'w', 'w', 4, 'd', 'e', 'm', 'o', 2, 'h', 'l', 0, 0x00, 0x01, 0x00, 0x01};

    @Test
    void shouldDecodeDnsOverUdpOnItsPort() throws Exception {
        ByteBuffer b = tcp(0, 0, DNS_QUERY, DNS_QUERY.length, 40002, 53);
        b.put(IP_PROTO, (byte) 17).putShort(UDP_LEN, (short) (8 + DNS_QUERY.length));
        layer.process(decoder.decodePacket(b, 0, SIZE + DNS_QUERY.length), out::add);

        var dns = out.get(0).getDns();
        assertThat(dns.getTransport()).isEqualTo("udp");
        assertThat(dns.getId()).isEqualTo(0x1234);
        assertThat(dns.getResponse()).isFalse();
        assertThat(dns.getQuestions()).singleElement().satisfies(q -> {
            assertThat(q.getName()).isEqualTo("www.demo.hl");
            assertThat(q.getTypeName()).isEqualTo("A");
        });
    }

    @Test
    void shouldDecodeDnsOverTcpAfterItsLengthPrefix() throws Exception {
        byte[] framed = L7Payloads.concat(new byte[] {0, (byte) DNS_QUERY.length}, DNS_QUERY);
        ByteBuffer b = tcp(SEQ, 0x18, framed, framed.length, 40003, 53);
        layer.process(decoder.decodePacket(b, 0, SIZE + framed.length), out::add);

        assertThat(out.get(0).getDns().getTransport()).isEqualTo("tcp");
        assertThat(out.get(0).getDns().getId()).isEqualTo(0x1234);
    }

    @Test
    void shouldPublishEveryHeldRecordOnFlush() throws Exception {
        feed(SEQ, split(L7Payloads.httpHeaderBlock("GET /held HTTP/1.1", 3000), 1000)[0]);
        assertThat(out).isEmpty();

        layer.flush(out::add);

        assertThat(out).singleElement().satisfies(r -> assertThat(r.getHttp().getTruncated()).isTrue());
    }

    @Test
    void shouldLeavePayloadThatIsNoKnownMessageAlone() throws Exception {
        feed(SEQ, ascii("\u0000\u0001binary bulk data that is not a start line"));
        feed(SEQ + 100, ascii("Get me out of here\r\n\r\n"));

        assertThat(out).hasSize(2).allSatisfy(r -> {
            assertThat(r.getHttp()).isNull();
            assertThat(r.getTls()).isNull();
            assertThat(r.getDns()).isNull();
        });
    }
}
