package io.headerlog.tools.view;

import static io.headerlog.tools.view.ViewRecords.T0_NS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryRendererTest {
    private static final long START_MS = T0_NS / 1_000_000;
    private final SummaryRenderer renderer = new SummaryRenderer(ZoneOffset.UTC);

    private static List<String> lines(String text) {
        return List.of(text.split("\n"));
    }

    @Test
    void shouldRenderEverySectionOfABusySnapshot() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.tcpPacket("host-a", "egress", 3, 2, 12));
        summary.add(ViewRecords.enriched(ViewRecords.packet("host-b", "ingress", T0_NS + 123_000_000L)
                .setIp(ViewRecords.ipv4(6)).setTcp(ViewRecords.tcp(40000, 80, "PSH,ACK"))
                .setHttp(ViewRecords.request("POST", "/api/orders?id=7")).build(), START_MS + 200));
        summary.add(ViewRecords.stats("host-a", T0_NS + 1_000_000_000L, 5, 2));

        String text = renderer.render(summary.snapshot(START_MS + 2000));

        assertThat(lines(text).get(0)).isEqualTo("headerlog live view  12:00:02  (last 2.0 s)  records 2  undecodable 0");
        assertThat(text).contains("  host-a           egress          0.5        3.0            1            6\n");
        assertThat(text).contains("  host-b           ingress         0.5        0.5            1            1\n");
        assertThat(text).containsPattern("\n  IPv4 +7 +0 +0 +0 +0\n");
        assertThat(text).contains("  12:00:00.123 host-b           ingress  198.18.0.1:40000 -> 198.18.0.2:80"
                + "  POST /api/orders?id=7 HTTP/1.1\n");
        assertThat(text).containsPattern("\n  host-a +5 +2 +1 +980  12:00:01\n");
        assertThat(text).endsWith("LATENCY capture -> enriched (last 2.0 s): p50 12 ms  max 77 ms  (2 records)\n");
    }

    @Test
    void shouldSayWhatIsMissingInAnEmptySnapshot() {
        String text = renderer.render(new TrafficSummary(START_MS, 8).snapshot(START_MS + 1000));

        assertThat(text).contains("(no enriched records yet)", "(no collector.stats yet)")
                .contains("LATENCY capture -> enriched (last 1.0 s): no records");
        assertThat(text).doesNotContain("IPv4");
    }

    @Test
    void shouldShowTheLastUndecodableReasonAndCutLongHostNames() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.tcpPacket("a-very-long-host-name.example", "egress", 1, 1, 1));
        summary.addUndecodable("headers.enriched: unknown magic byte 7");

        String text = renderer.render(summary.snapshot(START_MS + 1000));

        assertThat(lines(text).get(0)).endsWith("undecodable 1  (last: headers.enriched: unknown magic byte 7)");
        assertThat(text).contains("  a-very-long-hos~ egress ");
    }
}
