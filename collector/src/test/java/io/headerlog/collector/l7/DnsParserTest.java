package io.headerlog.collector.l7;

import static io.headerlog.collector.l7.CapturedMessages.bytes;
import static io.headerlog.collector.l7.DnsMessage.AA;
import static io.headerlog.collector.l7.DnsMessage.QR;
import static io.headerlog.collector.l7.DnsMessage.RA;
import static io.headerlog.collector.l7.DnsMessage.RD;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.Dns;
import io.headerlog.schema.DnsAnswer;
import io.headerlog.schema.DnsQuestion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DnsParserTest {

    private static Dns parse(byte[] b) {
        return DnsParser.parse(ByteBuffer.wrap(b), 0, b.length, "udp");
    }

    private static DnsQuestion q(String name, int type, String typeName) {
        return DnsQuestion.newBuilder().setName(name).setType(type).setTypeName(typeName).setQclass(1).build();
    }

    private static DnsAnswer a(String name, int type, String typeName, long ttl, String data) {
        return DnsAnswer.newBuilder().setName(name).setType(type).setTypeName(typeName).setAclass(1).setTtl(ttl)
                .setData(data).build();
    }

    @Test
    void shouldDecodeADigQueryAsTsharkDid() {
        Dns d = parse(bytes(CapturedMessages.DIG_QUERY_A));

        assertThat(d.getTransport()).isEqualTo("udp");
        assertThat(d.getId()).isEqualTo(0x57a2);
        assertThat(d.getResponse()).isFalse();
        assertThat(d.getOpcode()).isZero();
        assertThat(d.getRcode()).isZero();
        assertThat(d.getFlags()).isEqualTo(0x0120);
        assertThat(d.getRecursionDesired()).isTrue();
        assertThat(d.getAuthoritative()).isFalse();
        assertThat(d.getTruncated()).isFalse();
        assertThat(d.getRecursionAvailable()).isFalse();
        assertThat(d.getQuestionCount()).isEqualTo(1);
        assertThat(d.getAnswerCount()).isZero();
        assertThat(d.getAuthorityCount()).isZero();
        assertThat(d.getAdditionalCount()).isEqualTo(1);
        assertThat(d.getQuestions()).containsExactly(q("alias.example.test", 1, "A"));
        assertThat(d.getAnswers()).isEmpty();
        assertThat(d.getMalformed()).isFalse();
    }

    @Test
    void shouldDecodeADnsmasqCnameResponseWithCompressedNames() {
        Dns d = parse(bytes(CapturedMessages.DNSMASQ_RESPONSE_CNAME_A));

        assertThat(d.getId()).isEqualTo(0x57a2);
        assertThat(d.getResponse()).isTrue();
        assertThat(d.getFlags()).isEqualTo(0x8580);
        assertThat(d.getAuthoritative()).isTrue();
        assertThat(d.getRecursionAvailable()).isTrue();
        assertThat(d.getQuestions()).containsExactly(q("alias.example.test", 1, "A"));
        assertThat(d.getAnswers()).containsExactly(
                a("alias.example.test", 5, "CNAME", 0, "www.example.test"),
                a("www.example.test", 1, "A", 0, "198.18.0.10"));
        assertThat(d.getMalformed()).isFalse();
    }

    @Test
    void shouldDecodeAnAaaaResponseInRfc5952Text() {
        assertThat(parse(bytes(CapturedMessages.DIG_QUERY_AAAA)).getQuestions())
                .containsExactly(q("v6.example.test", 28, "AAAA"));
        Dns d = parse(bytes(CapturedMessages.DNSMASQ_RESPONSE_AAAA));

        assertThat(d.getAnswers()).containsExactly(a("v6.example.test", 28, "AAAA", 0, "fd00::10"));
    }

    @Test
    void shouldFollowPointersIntoEarlierRdataAndGiveNamesForNsAndPtr() throws Exception {
        byte[] m = new DnsMessage(7, QR | AA | RD | RA)
                .question("10.0.18.198.in-addr.arpa", 12, 1)
                .answerName("10.0.18.198.in-addr.arpa", 12, 3600, "host.b.example")
                .answerName("b.example", 2, 86400, "ns1.b.example")
                .answerAddress("ns1.b.example", 4294967295L, "198.18.0.53")
                .answerAddress("ns1.b.example", 60, "fd00::1:0:0:53")
                .build("ptr").bytes();

        Dns d = parse(m);

        assertThat(d.getAnswers()).containsExactly(
                a("10.0.18.198.in-addr.arpa", 12, "PTR", 3600, "host.b.example"),
                a("b.example", 2, "NS", 86400, "ns1.b.example"),
                a("ns1.b.example", 1, "A", 4294967295L, "198.18.0.53"),
                a("ns1.b.example", 28, "AAAA", 60, "fd00::1:0:0:53"));
        assertThat(d.getMalformed()).isFalse();
    }

    @Test
    void shouldNameTheRootAndEscapeOddLabelBytes() {
        Wire w = new Wire().u16(1).u16(0).u16(2).u16(0).u16(0).u16(0);
        w.u8(0).u16(2).u16(1); // ". NS"
        w.u8(5).ascii("a.b c").u8(2).u8(0x5c).u8(0x07).u8(0).u16(16).u16(1); // label with dot and space; "\" and BEL

        Dns d = parse(w.toBytes());

        assertThat(d.getQuestions()).extracting(DnsQuestion::getName).containsExactly(".", "a\\.b\\032c.\\\\\\007");
        assertThat(d.getQuestions().get(1).getTypeName()).isEqualTo("TXT");
    }

    @Test
    void shouldNameUnknownTypesAsRfc3597Does() {
        byte[] m = new DnsMessage(1, 0).question("x.example", 65, 1).question("y.example", 999, 255).build("t").bytes();

        Dns d = parse(m);

        assertThat(d.getQuestions()).extracting(DnsQuestion::getTypeName).containsExactly("HTTPS", "TYPE999");
        assertThat(d.getQuestions().get(1).getQclass()).isEqualTo(255);
    }

    @Test
    void shouldRejectAPointerLoopInTheFirstQuestion() {
        Wire self = new Wire().u16(1).u16(0).u16(1).u16(0).u16(0).u16(0).u16(0xc000 | 12).u16(1).u16(1);
        Wire ahead = new Wire().u16(1).u16(0).u16(1).u16(0).u16(0).u16(0).u16(0xc000 | 14).u8(0).u16(1).u16(1);
        // "a" then a pointer back to "a": each pointer is backwards, but the second one loops
        Wire pingPong = new Wire().u16(1).u16(0).u16(1).u16(0).u16(0).u16(0).u8(1).ascii("a").u16(0xc000 | 12).u16(1).u16(1);

        assertThat(parse(self.toBytes())).isNull();
        assertThat(parse(ahead.toBytes())).isNull();
        assertThat(parse(pingPong.toBytes())).isNull();
    }

    @Test
    void shouldKeepTheQuestionAndMarkMalformedWhenAnAnswerNameLoops() throws Exception {
        Sample s = new DnsMessage(9, QR).question("loop.example", 1, 1).answerAddress("loop.example", 5, "198.18.0.1")
                .build("loop");
        byte[] m = s.bytes().clone();
        int answerName = s.nameOffsets()[1];
        m[answerName] = (byte) 0xc0;
        m[answerName + 1] = (byte) answerName; // points at itself

        Dns d = parse(m);

        assertThat(d.getQuestions()).containsExactly(q("loop.example", 1, "A"));
        assertThat(d.getAnswers()).isEmpty();
        assertThat(d.getMalformed()).isTrue();
    }

    @Test
    void shouldRejectANameLongerThan255Octets() {
        Wire w = new Wire().u16(1).u16(0).u16(1).u16(0).u16(0).u16(0);
        for (int i = 0; i < 5; i++) {
            w.u8(63).ascii("x".repeat(63)); // 5 * 64 = 320 octets
        }
        w.u8(0).u16(1).u16(1);
        assertThat(parse(w.toBytes())).isNull();

        Wire max = new Wire().u16(1).u16(0).u16(1).u16(0).u16(0).u16(0);
        for (int i = 0; i < 3; i++) {
            max.u8(63).ascii("x".repeat(63));
        }
        max.u8(61).ascii("y".repeat(61)).u8(0).u16(1).u16(1); // 3 * 64 + 62 + 1 = 255
        assertThat(parse(max.toBytes()).getQuestions().get(0).getName()).hasSize(3 * 64 + 61);
    }

    @Test
    void shouldKeepWhatWasReadFromACutCapture() {
        byte[] full = bytes(CapturedMessages.DNSMASQ_RESPONSE_CNAME_A);
        byte[] cut = Arrays.copyOf(full, full.length - 15); // inside the A record's address

        Dns d = parse(cut);

        assertThat(d.getAnswerCount()).isEqualTo(2);
        assertThat(d.getAnswers()).containsExactly(a("alias.example.test", 5, "CNAME", 0, "www.example.test"));
        assertThat(d.getMalformed()).isTrue();
        Dns headerOnly = parse(Arrays.copyOf(full, 12));
        assertThat(headerOnly.getId()).isEqualTo(0x57a2);
        assertThat(headerOnly.getQuestions()).isEmpty();
        assertThat(headerOnly.getMalformed()).isTrue();
    }

    @Test
    void shouldListAtMost32QuestionsAndStillReachTheAnswers() throws Exception {
        DnsMessage m = new DnsMessage(3, QR);
        for (int i = 0; i < 40; i++) {
            m.question("q" + i + ".example", 1, 1);
        }
        for (int i = 0; i < 40; i++) {
            m.answerAddress("q" + i + ".example", 1, "198.18.1." + i);
        }

        Dns d = parse(m.build("many").bytes());

        assertThat(d.getQuestionCount()).isEqualTo(40);
        assertThat(d.getQuestions()).hasSize(DnsParser.MAX_QUESTIONS);
        assertThat(d.getAnswers()).hasSize(DnsParser.MAX_ANSWERS);
        assertThat(d.getAnswers().get(31).getData()).isEqualTo("198.18.1.31");
        assertThat(d.getMalformed()).isFalse();
    }

    @Test
    void shouldGiveNoDataForAnAddressOfTheWrongSize() {
        byte[] m = new DnsMessage(3, QR).question("x.example", 1, 1).answer("x.example", 1, 1, new byte[] {1, 2, 3, 4, 5})
                .answer("x.example", 16, 1, new byte[] {3, 'a', 'b', 'c'}).build("odd").bytes();

        Dns d = parse(m);

        assertThat(d.getAnswers()).extracting(DnsAnswer::getData).containsExactly(null, null);
        assertThat(d.getAnswers().get(1).getTypeName()).isEqualTo("TXT");
        assertThat(d.getMalformed()).isFalse();
    }

    @Test
    void shouldNotTakeOtherBytesForDns() {
        assertThat(parse(new byte[11])).isNull();
        byte[] opcode3 = new DnsMessage(1, 3 << 11).question("a.example", 1, 1).build("op").bytes();
        assertThat(parse(opcode3)).isNull();
        byte[] hugeCounts = {0, 1, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0};
        assertThat(parse(hugeCounts)).isNull();
        byte[] http = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(parse(http)).isNull();
        assertThat(DnsParser.parse(null, 0, 100, "udp")).isNull();
        assertThat(DnsParser.parse(ByteBuffer.allocate(20), 30, 10, "udp")).isNull();
    }

    @Test
    void shouldReadTcpFramingAndRecordTheTransport() {
        byte[] msg = bytes(CapturedMessages.DNSMASQ_RESPONSE_AAAA);
        ByteBuffer tcp = ByteBuffer.allocateDirect(msg.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        tcp.putShort(0, Short.reverseBytes((short) msg.length)); // big-endian on the wire
        tcp.put(2, msg);

        assertThat(DnsParser.tcpMessageLength(tcp, 0, msg.length + 2)).isEqualTo(msg.length);
        Dns d = DnsParser.parse(tcp, 2, msg.length, "tcp");
        assertThat(d.getTransport()).isEqualTo("tcp");
        assertThat(d.getAnswers()).containsExactly(a("v6.example.test", 28, "AAAA", 0, "fd00::10"));
        assertThat(DnsParser.tcpMessageLength(tcp, 0, 1)).isEqualTo(-1);
        assertThat(DnsParser.tcpMessageLength(ByteBuffer.wrap(new byte[] {0, 11}), 0, 2)).isEqualTo(-1);
    }
}
