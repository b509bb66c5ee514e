package io.headerlog.it.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.it.l7.HttpFrame.Header;
import io.headerlog.it.l7.HttpFrame.StartLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle comparisons themselves: they must report every kind of difference they claim to check. */
class CompareTest {
    private static final String TOKEN = "hmac:AAAAAAAAAAAAAAAAAAAAAA";

    private static HttpFrame request(String stream, String target, List<Header> headers, int segments, boolean truncated,
                                     int largestPacket) {
        return new HttpFrame("test", stream, List.of(new StartLine("GET", target, "HTTP/1.1", null, null)), headers,
                List.of("svc"), List.of("curl"), List.of(), List.of(), segments, 100, truncated, largestPacket);
    }

    private static List<Header> headers(String authorization) {
        return List.of(new Header("Host", "svc"), new Header("User-Agent", "curl"),
                new Header("Authorization", authorization));
    }

    @Test
    void shouldAcceptEqualFramesWithTokenizedSecrets() {
        Mismatches m = Compare.http(List.of(request("1>80", "/", headers("Bearer s3cr3t-value"), 1, false, 90)),
                List.of(request("1>80", "/", headers(TOKEN), 1, false, 0)), 4096, SecretHeaders.DEFAULT);
        assertThat(m.problems()).isEmpty();
        assertThat(m.checks()).isGreaterThan(10);
    }

    @Test
    void shouldReportASecretPublishedInClearWithoutPrintingIt() {
        Mismatches m = Compare.http(List.of(request("1>80", "/", headers("Bearer s3cr3t-value"), 1, false, 90)),
                List.of(request("1>80", "/", headers("Bearer s3cr3t-value"), 1, false, 0)), 4096, SecretHeaders.DEFAULT);
        assertThat(m.problems()).hasSize(2).noneMatch(p -> p.contains("s3cr3t"));
    }

    @Test
    void shouldReportADifferentTargetHeaderValueOrMissingMessage() {
        HttpFrame oracle = request("1>80", "/a", headers("Bearer in-clear-on-the-wire"), 1, false, 90);
        assertThat(Compare.http(List.of(oracle), List.of(request("1>80", "/b", headers(TOKEN), 1, false, 0)), 4096,
                SecretHeaders.DEFAULT).problems()).singleElement().asString().contains("target");
        List<Header> changed = List.of(new Header("Host", "other"), new Header("User-Agent", "curl"),
                new Header("Authorization", TOKEN));
        assertThat(Compare.http(List.of(oracle), List.of(request("1>80", "/a", changed, 1, false, 0)), 4096,
                SecretHeaders.DEFAULT).problems()).singleElement().asString().contains("header Host value");
        assertThat(Compare.http(List.of(oracle), List.of(), 4096, SecretHeaders.DEFAULT).problems())
                .singleElement().asString().contains("tshark saw 1");
    }

    @Test
    void shouldAllowTruncationOnlyWhenAPacketExceededTheCaptureLimit() {
        HttpFrame oracle = request("1>80", "/", headers("x"), 3, false, 1448);
        HttpFrame cut = request("1>80", "/", headers(TOKEN).subList(0, 2), 1, true, 0);
        assertThat(Compare.http(List.of(oracle), List.of(cut), 4096, SecretHeaders.DEFAULT).problems())
                .singleElement().asString().contains("exceeds the capture limit");
        HttpFrame big = request("1>80", "/", headers("x"), 1, false, 7240);
        assertThat(Compare.http(List.of(big), List.of(cut), 4096, SecretHeaders.DEFAULT).problems()).isEmpty();
    }

    @Test
    void shouldCompareDnsMessagesFieldByFieldIncludingAnswers() {
        DnsMessage oracle = dns(new DnsMessage.Answer("svc.hl.test", 1, 1, 300, "198.18.77.7"));
        assertThat(Compare.dns(List.of(oracle), List.of(dns(new DnsMessage.Answer("svc.hl.test", 1, 1, 300,
                "198.18.77.7")))).problems()).isEmpty();
        assertThat(Compare.dns(List.of(oracle), List.of(dns(new DnsMessage.Answer("svc.hl.test", 1, 1, 299,
                "198.18.77.7")))).problems()).singleElement().asString().contains("answers[0]").contains("ttl");
    }

    @Test
    void shouldCompareTlsHellosFieldByField() {
        TlsHello oracle = new TlsHello("t", "1>443", TlsHello.CLIENT_HELLO, 0x0301, 0x0303, "svc", List.of("h2"),
                List.of(0x0304), null, List.of(0x1301), null);
        TlsHello otherAlpn = new TlsHello("h", "1>443", TlsHello.CLIENT_HELLO, 0x0301, 0x0303, "svc",
                List.of("http/1.1"), List.of(0x0304), null, List.of(0x1301), null);
        assertThat(Compare.tls(List.of(oracle), List.of(otherAlpn)).problems()).singleElement().asString().contains("alpn");
        assertThat(TlsHello.isGrease(0x1a1a)).isTrue();
        assertThat(TlsHello.isGrease(0x1a2a)).isFalse();
    }

    private static DnsMessage dns(DnsMessage.Answer answer) {
        return new DnsMessage("o", "udp", 53, 40000, 7, true, 0, 0, 0x8580, true, false, true, true, 1, 1, 0, 0,
                List.of(new DnsMessage.Question("svc.hl.test", 1, 1)), List.of(answer));
    }
}
