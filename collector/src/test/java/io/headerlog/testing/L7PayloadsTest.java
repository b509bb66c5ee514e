package io.headerlog.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class L7PayloadsTest {

    @ParameterizedTest
    @ValueSource(ints = {32, 45, 46, 57, 58, 59, 100, 333, 1200, 3600, 4000, 8000})
    void shouldBuildAHeaderBlockOfExactlyTheLengthAsked(int length) {
        byte[] block = L7Payloads.httpHeaderBlock("GET / HTTP/1.1", length);
        String text = new String(block, StandardCharsets.US_ASCII);

        assertThat(block).hasSize(length);
        assertThat(text).startsWith("GET / HTTP/1.1\r\nHost: b.test\r\n").endsWith("\r\n\r\n");
        assertThat(text.indexOf("\r\n\r\n")).as("one empty line, at the end").isEqualTo(length - 4);
        for (String line : text.substring(0, length - 4).split("\r\n")) {
            assertThat(line).as("a start line or a name: value header").matches("GET / HTTP/1.1|[A-Za-z-0-9]+: \\S+");
        }
    }

    @Test
    void shouldRefuseALengthNoFillerLineCanReach() {
        // 32 bytes without a filler; the shortest filler line takes 13
        assertThatThrownBy(() -> L7Payloads.httpHeaderBlock("GET / HTTP/1.1", 20)).hasMessageContaining("20-byte");
        assertThatThrownBy(() -> L7Payloads.httpHeaderBlock("GET / HTTP/1.1", 40)).hasMessageContaining("40-byte");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 517, 1500, 2000})
    void shouldBuildAClientHelloWhoseLengthFieldsAgree(int length) {
        byte[] hello = L7Payloads.tlsClientHello("b.test", length);

        assertThat(hello).hasSize(length);
        assertThat(hello[0]).isEqualTo((byte) 0x16);
        assertThat(u16(hello, 3)).as("record length").isEqualTo(length - 5);
        assertThat(hello[5]).as("ClientHello").isEqualTo((byte) 1);
        assertThat(u16(hello, 7)).as("handshake length (low 16 bits)").isEqualTo(length - 9);
        assertThat(new String(hello, StandardCharsets.ISO_8859_1)).contains("b.test", "h2", "http/1.1");
    }

    @Test
    void shouldBuildAServerHelloFlightOfExactlyTheLengthAsked() {
        byte[] flight = L7Payloads.tlsServerHelloFlight(1000);

        assertThat(flight).hasSize(1000);
        assertThat(flight[0]).isEqualTo((byte) 0x16);
        assertThat(flight[5]).as("ServerHello").isEqualTo((byte) 2);
        int second = 5 + u16(flight, 3);
        assertThat(flight[second]).as("an application data record follows").isEqualTo((byte) 0x17);
        assertThat(second + 5 + u16(flight, second + 3)).isEqualTo(1000);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
