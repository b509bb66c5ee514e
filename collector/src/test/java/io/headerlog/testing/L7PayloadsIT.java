package io.headerlog.testing;

import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tshark, an independent dissector, reads the payloads {@link L7Payloads} builds as what they claim to be. */
class L7PayloadsIT {

    @TempDir
    Path dir;

    private List<String[]> dissect(List<byte[]> frames, String... fields) throws Exception {
        Path pcap = dir.resolve("l7.pcap");
        PcapWriter.write(pcap, frames);
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-T", "fields",
                "-E", "separator=|", "-E", "aggregator=,"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        ExecResult r = Exec.run(Duration.ofSeconds(60), cmd);
        assertThat(r.ok()).as("tshark (apt-get install tshark): %s", r.describe()).isTrue();
        return r.stdout().lines().map(l -> l.split("\\|", -1)).toList();
    }

    private static PacketBuilder tcp(int sport, int dport) throws Exception {
        return PacketBuilder.ethernet("02:00:00:00:00:0a", "02:00:00:00:00:0b")
                .ipv4(InetAddress.getByName("198.18.0.1"), InetAddress.getByName("198.18.0.2"))
                .tcp(sport, dport).seq(1).ack(1).flags(TH_PSH | TH_ACK);
    }

    @Test
    void shouldBuildTlsHellosThatTsharkDissects() throws Exception {
        List<byte[]> frames = List.of(
                tcp(40001, 443).payload(L7Payloads.tlsClientHello("capture.headerlog.test", 1400)).build(),
                tcp(443, 40001).payload(L7Payloads.tlsServerHelloFlight(600)).build());

        List<String[]> rows = dissect(frames, "tls.handshake.type", "tls.handshake.extensions_server_name",
                "tls.handshake.extensions_alpn_str", "tls.handshake.extensions.supported_version",
                "tls.handshake.ciphersuite", "_ws.malformed");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly("1", "capture.headerlog.test", "h2,http/1.1", "0x0304,0x0303",
                "0x1301,0x1302,0x1303,0xc02f", "");
        assertThat(rows.get(1)[0]).isEqualTo("2");
        assertThat(rows.get(1)[3]).isEqualTo("0x0304");
        assertThat(rows.get(1)[4]).isEqualTo("0x1301");
        assertThat(rows.get(1)[5]).isEmpty();
    }

    @Test
    void shouldBuildAHeaderBlockThatTsharkDissectsAsHttp() throws Exception {
        byte[] block = L7Payloads.httpHeaderBlock("GET /x HTTP/1.1", 1000);

        List<String[]> rows = dissect(List.of(tcp(40002, 80).payload(block).build()), "http.request.method",
                "http.request.uri", "http.host", "_ws.malformed");

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsExactly("GET", "/x", "b.test", "");
    }
}
