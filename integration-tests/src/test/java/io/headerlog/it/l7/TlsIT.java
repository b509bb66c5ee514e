package io.headerlog.it.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.it.l7.Curl.Transfer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * HTTPS between curl and nginx (self-signed certificate for a test name, TLS 1.3 and 1.2, ALPN
 * h2/http1.1) in two test hosts, logged by the real collector on the server's veth end while
 * tshark captures the same interface: every ClientHello and ServerHello is compared with tshark's
 * dissection field by field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {
    private L7Lab lab;
    private TlsTraffic.Sent sent;
    private List<TlsHello> oracle;
    private List<TlsHello> logged;

    @BeforeAll
    void captureRealTlsHandshakes() throws Exception {
        lab = L7Lab.create("tls");
        lab.startNginx(Optional.empty());
        // the collector JVM starts while tshark does
        CollectorProcess collector = lab.launchCollector(lab.server(), "tls-it-server", List.of("--sink", "stdout"));
        TsharkCapture tshark = lab.startTshark();
        collector.awaitCapturing(L7Lab.STARTUP);
        sent = TlsTraffic.run(lab.client(), lab.server());
        tshark.stop();
        logged = HeaderlogViews.tls(HeaderlogViews.parseLines(L7Lab.stop(collector)));
        oracle = TsharkViews.tls(tshark, NginxServer.HTTPS_PORT);
    }

    @AfterAll
    void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldLogEveryHelloWithTheFieldsTsharkDissects() {
        assertThat(oracle).as("tshark: a ClientHello and a ServerHello per connection").hasSize(2 * sent.all().size());
        Mismatches m = Compare.tls(oracle, logged);
        m.assertNone();
        assertThat(m.checks()).as("field comparisons").isGreaterThan(60);
    }

    @Test
    void shouldLogSniAndTheOfferedAlpnProtocols() {
        TlsHello dflt = logged(sent.tls13Default(), TlsHello.CLIENT_HELLO);
        assertThat(dflt.sni()).isEqualTo(NginxServer.SERVER_NAME);
        assertThat(dflt.alpn()).containsExactly("h2", "http/1.1");
        assertThat(dflt.supportedVersions()).startsWith(0x0304).contains(0x0303);
        assertThat(dflt.cipherSuites()).contains(0x1301, 0x1302);
        assertThat(logged(sent.tls13Http11(), TlsHello.CLIENT_HELLO).alpn()).containsExactly("http/1.1");
        assertThat(logged(sent.tls13Ipv6(), TlsHello.CLIENT_HELLO).sni()).isEqualTo(NginxServer.SERVER_NAME);
    }

    @Test
    void shouldLogTheVersionAndCipherTheServerSelected() {
        TlsHello tls13 = logged(sent.tls13Default(), TlsHello.SERVER_HELLO);
        assertThat(tls13.selectedVersion()).isEqualTo(0x0304);
        assertThat(tls13.helloVersion()).as("legacy_version of a TLS 1.3 ServerHello").isEqualTo(0x0303);
        assertThat(tls13.cipherSuite()).isIn(0x1301, 0x1302, 0x1303);
        TlsHello tls12 = logged(sent.tls12(), TlsHello.SERVER_HELLO);
        assertThat(tls12.selectedVersion()).isEqualTo(0x0303);
        assertThat(tls12.alpn()).as("TLS 1.2 sends the selected protocol in clear").containsExactly("h2");
        // ECDSA certificate: an ECDHE-ECDSA suite
        assertThat(tls12.cipherSuite()).isIn(0xc02b, 0xc02c, 0xcca9, 0xc009, 0xc00a, 0xc023, 0xc024);
    }

    private TlsHello logged(Transfer t, String type) {
        String stream = type.equals(TlsHello.CLIENT_HELLO) ? t.localPort() + ">" + NginxServer.HTTPS_PORT
                : NginxServer.HTTPS_PORT + ">" + t.localPort();
        return logged.stream().filter(h -> h.stream().equals(stream) && h.handshakeType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("headerlog logged no " + type + " on TCP " + stream));
    }
}
