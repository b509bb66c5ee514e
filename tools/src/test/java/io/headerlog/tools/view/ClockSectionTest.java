package io.headerlog.tools.view;

import static io.headerlog.tools.view.ViewRecords.T0_NS;
import static io.headerlog.tools.view.ViewRecords.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.ClockOffset;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClockSectionTest {
    private static final long START_MS = T0_NS / 1_000_000;
    private final SummaryRenderer renderer = new SummaryRenderer(ZoneOffset.UTC);

    private static String clocks(String rendered) {
        int from = rendered.indexOf("CLOCKS");
        // the section ends where the next one (STREAMS) begins
        return rendered.substring(from, rendered.indexOf("STREAMS", from));
    }

    @Test
    void shouldShowTheNewestEstimateItsHistoryAndTheAlignedShare() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(clock("host-a", "host-a", 0, 0, 0, START_MS + 100));
        summary.add(clock("host-b", "host-a", 37_450_123, 1_204_000, 2, START_MS + 100));
        summary.add(clock("host-b", "host-a", 37_020_456, 310_400, 5, START_MS + 600));
        summary.add(clock("host-b", "host-a", 37_012_345, 85_312, 9, START_MS + 1100));
        summary.add(ViewRecords.aligned(ViewRecords.tcpPacket("host-b", "ingress", 1, 1, 5), "host-a", 37_012_345, 85_312));
        summary.add(ViewRecords.aligned(ViewRecords.tcpPacket("host-b", "egress", 1, 1, 5), "host-a", 37_012_345, 85_312));
        summary.add(ViewRecords.aligned(ViewRecords.tcpPacket("host-a", "egress", 1, 1, 5), "host-a", 0, 0));
        summary.add(ViewRecords.tcpPacket("host-a", "egress", 1, 1, 5));

        String text = clocks(renderer.render(summary.snapshot(START_MS + 1500)));

        assertThat(text).isEqualTo(String.join("\n",
                "CLOCKS (offset = host clock - reference clock; aligned = records with an aligned time, last 1.5 s)",
                "  host             reference          offset ms       error  drift ppm  samples  steps     age  aligned",
                "  host-a           host-a                +0.000       +-0ns     +0.000        0      0    1.4s      50%  (reference)",
                "  host-b           host-a               +37.012    +-85.3us     +0.000        9      0    0.4s     100%",
                "                   history: +37.450 +-1.20ms > +37.020 +-310us > +37.012 +-85.3us  (error narrowing)",
                ""));
    }

    @Test
    void shouldSayNoModelYetForHostsTheStreamsAppHasNoEstimateFor() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.tcpPacket("host-c", "egress", 1, 1, 5));
        summary.add(ViewRecords.stats("host-d", T0_NS, 0, 0));

        String text = clocks(renderer.render(summary.snapshot(START_MS + 1000)));

        assertThat(text).contains(
                "\n  host-c           no model yet                                                                      0%\n",
                "\n  host-d           no model yet                                                                       -\n");
    }

    @Test
    void shouldNotCallAHostWithAlignedRecordsModelless() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.aligned(ViewRecords.tcpPacket("host-b", "egress", 1, 1, 5), "host-a", 37_000_000, 90_000));

        String text = clocks(renderer.render(summary.snapshot(START_MS + 1000)));

        assertThat(text).contains("  host-b           " + ClockSection.NOT_SEEN).doesNotContain(ClockSection.NO_MODEL);
    }

    @Test
    void shouldSaySoWhenThereAreNoHostsAtAll() {
        String text = clocks(renderer.render(new TrafficSummary(START_MS, 8).snapshot(START_MS + 1000)));

        assertThat(text).endsWith("aligned\n  (no hosts yet)\n");
    }

    @Test
    void shouldShowDriftStepsAndTheAgeOfAnOldEstimate() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ClockOffset.newBuilder(clock("host-b", "host-a", -2_000_600, 1_500_000, 40,
                START_MS)).setDriftPpm(-12.3456).setSteps(1).build());

        String text = clocks(renderer.render(summary.snapshot(START_MS + 185_000)));

        assertThat(text).contains(
                "\n  host-b           host-a                -2.001    +-1.50ms    -12.346       40      1   3m05s        -\n");
    }

    @Test
    void shouldKeepTheAlignedColumnInPlaceWhetherAHostHasAModelOrNot() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(clock("host-a", "host-a", 0, 0, 0, START_MS));
        summary.add(ViewRecords.stats("host-z", T0_NS, 0, 0));

        String[] lines = clocks(renderer.render(summary.snapshot(START_MS + 1000))).split("\n");

        int alignedEnd = lines[1].length();
        assertThat(lines[1]).endsWith(" aligned");
        assertThat(lines[2].substring(0, alignedEnd)).endsWith(" -");
        assertThat(lines[3]).startsWith("  host-z ").endsWith(" -").hasSize(alignedEnd);
    }
}
