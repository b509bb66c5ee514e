package io.headerlog.tools.view;

import static io.headerlog.tools.view.ViewRecords.T0_NS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StreamsSectionTest {
    private static final long START_MS = T0_NS / 1_000_000;
    private static final long S = 1_000_000_000L;
    private final SummaryRenderer renderer = new SummaryRenderer(ZoneOffset.UTC);

    private static String streams(String text) {
        int at = text.indexOf("STREAMS ");
        return text.substring(at, text.indexOf("LATENCY ", at));
    }

    @Test
    void shouldShowRatesBetweenTheLastTwoSnapshotsOfEachInstance() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.streamsStats("demo", "h:7", T0_NS + 2 * S, 1_000, 100, 10));
        summary.add(ViewRecords.streamsStats("demo", "h:7", T0_NS + 6 * S, 1_800, 300, 30));
        // an older snapshot arriving late changes nothing: the newest two stay
        summary.add(ViewRecords.streamsStats("demo", "h:7", T0_NS + S, 500, 50, 5));

        String text = streams(renderer.render(summary.snapshot(START_MS + 7_000)));

        assertThat(text).startsWith("STREAMS (streams.stats, per app instance; rates between its last two snapshots)\n");
        assertThat(text).containsPattern("\n  demo/h:7 +RUNNING +in 200\\.0 rec/s  dead-letters 3  aligned 90\\.0%  stats at 12:00:06\n");
        assertThat(text).contains("\n    correlation      50.0 pkt/s  match  99.0%  correlated 300  single-host 6  late 4  evicted 1\n");
        assertThat(text).contains("\n    http              5.0 tx/s   match  90.0%  transactions 30  client-only 3  server-only 0"
                + "  late 2  evicted 0\n");
    }

    @Test
    void shouldShowDashesUntilASecondSnapshotAndNoRateOfNothing() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.streamsStats("demo", "h:7", T0_NS + S, 0, 0, 0));

        String text = streams(renderer.render(summary.snapshot(START_MS + 2_000)));

        assertThat(text).containsPattern("in - rec/s  dead-letters 3  aligned -  stats at 12:00:01\n");
        assertThat(text).contains("    correlation         - pkt/s  match      -  correlated 0 ");
        assertThat(text).contains("    http                - tx/s   match      -  transactions 0 ");
    }

    @Test
    void shouldLeaveOutInstancesOfAnEarlierRunAndSayWhenThereIsNone() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        assertThat(streams(renderer.render(summary.snapshot(START_MS + 1_000)))).contains(StreamsSection.NONE);

        // 2 s interval: newer than 3 intervals before the view started is current, older is history
        summary.add(ViewRecords.streamsStats("old-run", "h:1", T0_NS - 7 * S, 10, 1, 1));
        summary.add(ViewRecords.streamsStats("this-run", "h:2", T0_NS - 5 * S, 10, 1, 1));

        String text = streams(renderer.render(summary.snapshot(START_MS + 2_000)));
        assertThat(text).contains("this-run/h:2").doesNotContain("old-run");
    }
}
