package io.headerlog.it.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How tshark's field output is read: numbers in decimal or 0x hex, booleans, escaped strings. */
class TsharkRowTest {
    @Test
    void shouldReadHexAndDecimalNumbersAndAllOccurrences() {
        TsharkRow row = new TsharkRow(Map.of("dns.id", List.of("0xaed5"), "dns.resp.ttl", List.of("300", "60"),
                "dns.flags.response", List.of("1"), "dns.a", List.of()));
        assertThat(row.firstInt("dns.id")).isEqualTo(0xaed5);
        assertThat(row.allLongs("dns.resp.ttl")).containsExactly(300L, 60L);
        assertThat(row.firstBoolean("dns.flags.response")).isTrue();
        assertThat(row.first("dns.a")).isNull();
        assertThat(row.has("dns.a")).isFalse();
        assertThatThrownBy(() -> row.all("dns.aaaa")).hasMessageContaining("not requested");
    }

    @Test
    void shouldUnescapeHeaderLinesAsTsharkPrintsThem() {
        assertThat(TsharkCapture.unescape("Host: svc\\r\\n")).isEqualTo("Host: svc\r\n");
        assertThat(TsharkCapture.unescape("a\\\\b \\\"q\\\" \\t")).isEqualTo("a\\b \"q\" \t");
    }
}
