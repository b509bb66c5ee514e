package io.headerlog.it.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.headerlog.it.l7.Curl.Transfer;
import io.headerlog.it.l7.Dig.Lookup;
import io.headerlog.testing.TestHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The oracle's own check, without headerlog: the servers and clients really produce the traffic
 * the comparison tests rely on, and tshark dissects it as the clients report it (keep-alive on one
 * connection, a header block over several segments, SNI and ALPN, DNS answers as dig printed them).
 * If this fails, the comparison tests' verdicts mean nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HarnessSelfIT {
    private L7Lab lab;
    private HttpTraffic.Sent http;
    private TlsTraffic.Sent tls;
    private List<Lookup> dns;
    private List<HttpFrame> httpFrames;
    private List<TlsHello> hellos;
    private List<DnsMessage> dnsMessages;
    private Path capture;

    @BeforeAll
    void runTrafficUnderTshark() throws Exception {
        lab = L7Lab.create("harness");
        lab.startNginx(Optional.empty());
        lab.startDns();
        TsharkCapture tshark = lab.startTshark();
        http = HttpTraffic.run(lab.client(), lab.server());
        tls = TlsTraffic.run(lab.client(), lab.server());
        dns = DnsTraffic.run(lab.client(), lab.server());
        tshark.stop();
        capture = tshark.file();
        httpFrames = TsharkViews.http(tshark, List.of(NginxServer.HTTP_PORT, NginxServer.HTTP_ALT_PORT));
        hellos = TsharkViews.tls(tshark, NginxServer.HTTPS_PORT);
        dnsMessages = TsharkViews.dns(tshark);
    }

    @AfterAll
    void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldSendThreeRequestsOverOneKeepAliveConnection() {
        List<Transfer> keepAlive = http.keepAlive();
        assertThat(keepAlive).extracting(Transfer::httpCode).containsExactly(200, 404, 200);
        assertThat(keepAlive).extracting(Transfer::newConnections).containsExactly(1, 0, 0);
        assertThat(keepAlive).extracting(Transfer::localPort).containsOnly(keepAlive.get(0).localPort());
        String stream = keepAlive.get(0).localPort() + ">" + NginxServer.HTTP_PORT;
        assertThat(httpFrames).filteredOn(f -> f.stream().equals(stream)).extracting(HttpFrame::firstTarget)
                .containsExactly("/", "/missing", keepAlive.get(2).request().url().replaceFirst("^http://[^/]+", ""));
        String back = NginxServer.HTTP_PORT + ">" + keepAlive.get(0).localPort();
        assertThat(httpFrames).filteredOn(f -> f.stream().equals(back))
                .extracting(f -> f.startLines().get(0).statusCode()).containsExactly(200, 404, 200);
    }

    @Test
    void shouldSpreadTheLargeHeaderBlockOverSeveralSegmentsOnlyWithGsoOff() {
        HttpFrame segmented = requestOf(http.largeHeaderSegmented());
        HttpFrame gso = requestOf(http.largeHeaderGso());
        assertThat(segmented.segments()).as("wire segments of the header block").isGreaterThanOrEqualTo(3);
        assertThat(gso.segments()).as("one GSO packet").isEqualTo(1);
        assertThat(segmented.headers()).filteredOn(h -> h.name().startsWith(HttpTraffic.FILLER_PREFIX))
                .hasSize(HttpTraffic.FILLER_COUNT);
        assertThat(segmented.headerBytes()).isGreaterThan(L7Lab.L7_SNAPLEN);
        assertThat(gso.headers()).filteredOn(h -> h.name().startsWith(HttpTraffic.FILLER_PREFIX))
                .hasSize(HttpTraffic.GSO_FILLER_COUNT);
        assertThat(gso.headerBytes()).isBetween(HttpTraffic.GSO_FILLER_COUNT * HttpTraffic.FILLER_LINE_BYTES, L7Lab.L7_SNAPLEN);
        assertThat(gso.largestPacketBytes()).as("one packet for the whole block").isGreaterThanOrEqualTo(gso.headerBytes());
    }

    @Test
    void shouldSeePostPipelinedIpv6AndOddPortRequests() {
        HttpFrame post = requestOf(http.post());
        assertThat(post.startLines().get(0).method()).isEqualTo("POST");
        assertThat(post.contentTypes()).containsExactly("application/json");
        assertThat(post.contentLengths()).containsExactly((long) http.postBody().length());
        assertThat(requestOf(http.ipv6()).firstTarget()).isEqualTo("/over-ipv6");
        assertThat(requestOf(http.altPort()).firstTarget()).isEqualTo("/odd-port");
        HttpFrame pipelined = httpFrames.stream()
                .filter(f -> f.stream().equals(http.pipelinedPort() + ">" + NginxServer.HTTP_PORT)).findFirst().orElseThrow();
        assertThat(pipelined.startLines()).as("two requests in one frame").hasSize(2);
    }

    @Test
    void shouldOfferSniAndAlpnAndNegotiateTls13And12() {
        TlsHello dflt = hello(tls.tls13Default(), TlsHello.CLIENT_HELLO);
        assertThat(dflt.sni()).isEqualTo(NginxServer.SERVER_NAME);
        assertThat(dflt.alpn()).containsExactly("h2", "http/1.1");
        assertThat(dflt.supportedVersions()).contains(0x0304, 0x0303);
        assertThat(hello(tls.tls13Http11(), TlsHello.CLIENT_HELLO).alpn()).containsExactly("http/1.1");
        assertThat(hello(tls.tls13Default(), TlsHello.SERVER_HELLO).selectedVersion()).isEqualTo(0x0304);
        TlsHello tls12 = hello(tls.tls12(), TlsHello.SERVER_HELLO);
        assertThat(tls12.selectedVersion()).isEqualTo(0x0303);
        assertThat(tls12.alpn()).containsExactly("h2");
        assertThat(hello(tls.tls13Ipv6(), TlsHello.SERVER_HELLO).cipherSuite()).isNotNull();
    }

    @Test
    void shouldSeeEveryDnsAnswerAsDigPrintedIt() {
        assertThat(dns).extracting(Lookup::status)
                .containsExactly("NOERROR", "NOERROR", "NOERROR", "NOERROR", "NXDOMAIN", "NOERROR");
        for (Lookup l : dns) {
            DnsMessage response = dnsMessages.stream().filter(m -> m.response() && m.id() == l.id()
                    && m.transport().equals(l.transport())).findFirst()
                    .orElseThrow(() -> new AssertionError("tshark saw no response for " + l + " in " + dnsMessages));
            assertThat(response.questions()).extracting(DnsMessage.Question::name).containsExactly(l.name());
            assertThat(response.answers()).extracting(a -> a.name() + ".", DnsMessage.Answer::ttl, DnsMessage.Answer::data)
                    .containsExactlyElementsOf(l.answers().stream().map(d -> tuple(
                            d.name(), d.ttl(), d.data().endsWith(".") ? d.data().substring(0, d.data().length() - 1)
                                    : d.data())).toList());
        }
        Lookup chain = dns.get(0);
        assertThat(chain.answers()).extracting(Dig.AnswerLine::type).containsExactly("CNAME", "CNAME", "A");
        assertThat(dnsMessages).filteredOn(m -> m.transport().equals("tcp")).hasSize(4);
    }

    @Test
    void shouldLeaveNoCaptureFileOrNamespaceBehind() throws Exception {
        L7Lab other = L7Lab.create("harness-cleanup");
        String ns = other.server().netns();
        Path file;
        try {
            file = other.startTshark().file();
        } finally {
            other.close(); // also when tshark does not start: this test is about what close() leaves
        }
        assertThat(Files.exists(file.getParent())).isFalse();
        assertThat(Path.of("/var/run/netns", ns)).doesNotExist();
        assertThat(capture).exists();   // this class's own lab is still open
        assertThat(ns).startsWith(TestHosts.PREFIX);
    }

    private HttpFrame requestOf(Transfer t) {
        String stream = t.localPort() + ">" + t.request().url().replaceFirst("^https?://(\\[[^]]+]|[^/:]+):(\\d+).*$", "$2");
        return httpFrames.stream().filter(f -> f.stream().equals(stream) && f.isRequest()).findFirst()
                .orElseThrow(() -> new AssertionError("tshark saw no request on " + stream + " in " + httpFrames));
    }

    private TlsHello hello(Transfer t, String type) {
        String stream = type.equals(TlsHello.CLIENT_HELLO) ? t.localPort() + ">" + NginxServer.HTTPS_PORT
                : NginxServer.HTTPS_PORT + ">" + t.localPort();
        return hellos.stream().filter(h -> h.stream().equals(stream) && h.handshakeType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("tshark saw no " + type + " on " + stream + " in " + hellos));
    }
}
