package io.headerlog.tools.view;

import static io.headerlog.tools.view.ViewRecords.T0_NS;
import static io.headerlog.tools.view.ViewRecords.answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.DnsAnswer;
import io.headerlog.schema.Http;
import io.headerlog.tools.view.AppMessages.Message;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AppMessagesTest {
    @Test
    void shouldShowARequestLineWithItsHostWhenPresent() {
        Http withHost = Http.newBuilder(ViewRecords.request("GET", "/index.html?n=129")).setHost("www.demo.hl").build();

        assertThat(AppMessages.http(withHost))
                .isEqualTo(new Message(MessageKind.HTTP_REQUEST, "GET /index.html?n=129 HTTP/1.1 host=www.demo.hl"));
        assertThat(AppMessages.http(ViewRecords.request("POST", "/api")).text()).isEqualTo("POST /api HTTP/1.1");
    }

    @Test
    void shouldShowAStatusLineWithItsContentTypeWhenPresent() {
        Http withType = Http.newBuilder(ViewRecords.response(200)).setContentType("text/html").build();
        Http noReason = Http.newBuilder(ViewRecords.response(204)).setReason("").build();

        assertThat(AppMessages.http(withType))
                .isEqualTo(new Message(MessageKind.HTTP_RESPONSE, "HTTP/1.1 200 OK type=text/html"));
        assertThat(AppMessages.http(noReason).text()).isEqualTo("HTTP/1.1 204");
    }

    @Test
    void shouldMarkATruncatedHeaderBlockAndSkipAMessageThatIsNeitherRequestNorResponse() {
        Http truncated = Http.newBuilder(ViewRecords.request("GET", "/big")).setTruncated(true).build();

        assertThat(AppMessages.http(truncated).text()).isEqualTo("GET /big HTTP/1.1 [truncated]");
        assertThat(AppMessages.http(Http.newBuilder().setVersion("HTTP/1.1").setHeaders(List.of()).build())).isNull();
    }

    @Test
    void shouldShowADnsQueryWithItsQuestionAndId() {
        assertThat(AppMessages.dns(ViewRecords.dnsQuery(4242, "www.demo.hl", "A").build()))
                .isEqualTo(new Message(MessageKind.DNS_QUERY, "DNS query www.demo.hl A (id 4242)"));
    }

    @Test
    void shouldShowADnsResponseWithRcodeAndAnswerData() {
        List<DnsAnswer> answers = List.of(answer("www.demo.hl", "CNAME", "svc.demo.hl"),
                answer("svc.demo.hl", "A", "198.18.0.2"));

        assertThat(AppMessages.dns(ViewRecords.dnsResponse(4242, "www.demo.hl", "A", 0, answers).build()))
                .isEqualTo(new Message(MessageKind.DNS_RESPONSE,
                        "DNS response www.demo.hl A NOERROR -> svc.demo.hl CNAME, 198.18.0.2 A (id 4242)"));
    }

    @Test
    void shouldShowANegativeResponseWithoutAnswersAndATypeWithoutData() {
        assertThat(AppMessages.dns(ViewRecords.dnsResponse(7, "nope.demo.hl", "AAAA", 3, List.of()).build()).text())
                .isEqualTo("DNS response nope.demo.hl AAAA NXDOMAIN (id 7)");
        assertThat(AppMessages.dns(ViewRecords.dnsResponse(8, "demo.hl", "MX", 9,
                List.of(answer("demo.hl", "MX", null))).build()).text())
                .isEqualTo("DNS response demo.hl MX RCODE9 -> MX (id 8)");
    }

    @Test
    void shouldShowTheFirstThreeAnswersAndCountTheRestFromTheHeader() {
        List<DnsAnswer> five = IntStream.rangeClosed(1, 5).mapToObj(i -> answer("many.demo.hl", "A", "198.18.0." + i))
                .toList();
        assertThat(AppMessages.dns(ViewRecords.dnsResponse(1, "many.demo.hl", "A", 0, five).build()).text())
                .isEqualTo("DNS response many.demo.hl A NOERROR -> 198.18.0.1 A, 198.18.0.2 A, 198.18.0.3 A, "
                        + "+2 more (id 1)");

        // Parsing stopped after one answer of four: the header's count still says how many there were.
        assertThat(AppMessages.dns(ViewRecords.dnsResponse(2, "cut.demo.hl", "A", 0,
                List.of(answer("cut.demo.hl", "A", "198.18.0.9"))).setAnswerCount(4).setMalformed(true).build())
                .text()).isEqualTo("DNS response cut.demo.hl A NOERROR -> 198.18.0.9 A, +3 more (id 2, malformed)");
        assertThat(AppMessages.dns(ViewRecords.dnsResponse(3, "cut.demo.hl", "A", 0, List.of())
                .setAnswerCount(2).build()).text()).isEqualTo("DNS response cut.demo.hl A NOERROR -> +2 more (id 3)");
    }

    @Test
    void shouldNoteTcpTruncationOpcodeAndAMissingQuestion() {
        assertThat(AppMessages.dns(ViewRecords.dnsResponse(9, "big.demo.hl", "A", 0, List.of())
                .setTransport("tcp").setTruncated(true).build()).text())
                .isEqualTo("DNS response big.demo.hl A NOERROR (id 9, tcp, TC)");
        assertThat(AppMessages.dns(ViewRecords.dnsQuery(10, "demo.hl", "A").setOpcode(5).setQuestions(List.of())
                .setQuestionCount(0).build()).text()).isEqualTo("DNS query (no question) opcode=5 (id 10)");
    }

    @Test
    void shouldShowAClientHelloWithSniAlpnAndSupportedVersions() {
        assertThat(AppMessages.tls(ViewRecords.clientHello("svc.demo.hl", List.of("h2", "http/1.1"),
                List.of(0x0304, 0x0303)).build()))
                .isEqualTo(new Message(MessageKind.TLS_CLIENT_HELLO,
                        "TLS ClientHello sni=svc.demo.hl alpn=h2,http/1.1 versions=1.3,1.2"));
    }

    @Test
    void shouldShowTheLegacyVersionOfAClientHelloWithoutSupportedVersionsOrSni() {
        assertThat(AppMessages.tls(ViewRecords.clientHello(null, List.of(), List.of()).setTruncated(true).build())
                .text()).isEqualTo("TLS ClientHello version=1.2 [truncated]");
    }

    @Test
    void shouldBoundALongAlpnList() {
        assertThat(AppMessages.tls(ViewRecords.clientHello("a", List.of("h2", "h3", "http/1.1", "spdy/3", "x", "y"),
                List.of(0x0304, 0x7f1c)).build()).text())
                .isEqualTo("TLS ClientHello sni=a alpn=h2,h3,http/1.1,spdy/3,+2 more versions=1.3,0x7f1c");
    }

    @Test
    void shouldShowAServerHelloWithSelectedVersionAndNamedCipher() {
        assertThat(AppMessages.tls(ViewRecords.serverHello(0x0304, 0x1302).build()))
                .isEqualTo(new Message(MessageKind.TLS_SERVER_HELLO,
                        "TLS ServerHello version=1.3 cipher=TLS_AES_256_GCM_SHA384"));
        // TLS 1.2 has no supported_versions: the legacy version is the negotiated one.
        assertThat(AppMessages.tls(ViewRecords.serverHello(null, 0x009c).setAlpn(List.of("h2")).build()).text())
                .isEqualTo("TLS ServerHello version=1.2 cipher=0x009c alpn=h2");
    }

    @Test
    void shouldSkipAnUnknownHandshakeType() {
        assertThat(AppMessages.tls(ViewRecords.serverHello(0x0304, 0x1301).setHandshakeType("finished").build()))
                .isNull();
    }

    @Test
    void shouldReplaceControlCharactersSoNoEscapeSequenceReachesTheTerminal() {
        Http evil = ViewRecords.request("GET", "/a\033[2J\r\nb\u202e");

        assertThat(AppMessages.http(evil).text()).isEqualTo("GET /a?[2J??b? HTTP/1.1");
    }

    @Test
    void shouldCutLongFieldsMarkingTheCut() {
        String target = "/" + "x".repeat(300);

        String text = AppMessages.http(ViewRecords.request("GET", target)).text();

        assertThat(text).isEqualTo("GET " + target.substring(0, AppMessages.MAX_FIELD - 1) + "~ HTTP/1.1");
        assertThat(AppMessages.clean("short")).isEqualTo("short");
        assertThat(AppMessages.clean("y".repeat(AppMessages.MAX_FIELD))).hasSize(AppMessages.MAX_FIELD)
                .doesNotContain("~");
    }

    @Test
    void shouldListEveryMessageOfARecordInOrder() {
        var header = ViewRecords.packet("h", "egress", T0_NS).setIp(ViewRecords.ipv4(17))
                .setUdp(ViewRecords.udp()).setDns(ViewRecords.dnsQuery(1, "demo.hl", "A").build()).build();

        assertThat(AppMessages.of(header)).extracting(Message::kind).containsExactly(MessageKind.DNS_QUERY);
        assertThat(AppMessages.of(ViewRecords.tcpPacket("h", "egress", 1, 1, 1).getHeader())).isEmpty();
    }
}
