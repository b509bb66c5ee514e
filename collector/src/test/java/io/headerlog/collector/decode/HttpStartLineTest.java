package io.headerlog.collector.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.Http;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpStartLineTest {

    private static Http parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return HttpStartLine.parse(ByteBuffer.wrap(b), 0, b.length);
    }

    @Test
    void shouldParseRequestLine() {
        Http h = parse("GET /index.html?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(h.getMethod()).isEqualTo("GET");
        assertThat(h.getTarget()).isEqualTo("/index.html?q=1");
        assertThat(h.getVersion()).isEqualTo("HTTP/1.1");
        assertThat(h.getStatusCode()).isNull();
    }

    @Test
    void shouldParseStatusLineWithMultiWordReason() {
        Http h = parse("HTTP/1.0 404 Not Found\r\nServer: x\r\n");
        assertThat(h.getVersion()).isEqualTo("HTTP/1.0");
        assertThat(h.getStatusCode()).isEqualTo(404);
        assertThat(h.getReason()).isEqualTo("Not Found");
        assertThat(h.getMethod()).isNull();
    }

    @Test
    void shouldParseLineAtAnOffsetInsideALargerBuffer() {
        byte[] b = "xxxxPOST /api HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        Http h = HttpStartLine.parse(ByteBuffer.wrap(b), 4, b.length - 4);
        assertThat(h.getMethod()).isEqualTo("POST");
        assertThat(h.getTarget()).isEqualTo("/api");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /cut-by-the-snap-length HTTP/1.",       // no CRLF: incomplete
        "FETCH / HTTP/1.1\r\n",                      // unknown method
        "GET  HTTP/1.1\r\n",                         // empty target
        "GET / HTTP/2.0\r\n",                        // not HTTP/1.x
        "GET /a b HTTP/1.1\r\n",                     // space in target
        "HTTP/1.1 2x0 OK\r\n",                       // bad status code
        "HTTP/1.1 099 Low\r\n",
        "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003 TLS\r\n",
        "SSH-2.0-OpenSSH_9.2\r\n",
    })
    void shouldRejectWhatIsNotAnHttp1StartLine(String s) {
        assertThat(parse(s)).isNull();
    }

    @Test
    void shouldNeverThrowOnRandomBytes() {
        Random rnd = new Random(42);
        byte[] b = new byte[300];
        for (int i = 0; i < 20_000; i++) {
            rnd.nextBytes(b);
            if (i % 3 == 0) {
                System.arraycopy("GET /".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 5);
            }
            int len = rnd.nextInt(b.length + 1);
            HttpStartLine.parse(ByteBuffer.wrap(b), 0, len);
        }
    }
}
