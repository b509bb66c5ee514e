package io.headerlog.tools.view;

import static io.headerlog.tools.view.ViewRecords.clock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.schema.ClockOffset;
import io.headerlog.tools.view.SummarySnapshot.HostClockLine;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockTableTest {
    private static final long T_MS = ViewRecords.T0_NS / 1_000_000;
    private final ClockTable table = new ClockTable(3, 120_000);

    private HostClockLine only() {
        return table.snapshot().get(0);
    }

    @Test
    void shouldKeepTheNewestDistinctEstimatesOldestFirst() {
        table.add(clock("host-b", "host-a", 37_450_000, 1_200_000, 2, T_MS));
        table.add(clock("host-b", "host-a", 37_020_000, 310_000, 5, T_MS + 1000));
        table.add(clock("host-b", "host-a", 37_012_000, 85_000, 9, T_MS + 2000));
        table.add(clock("host-b", "host-a", 37_011_000, 60_000, 14, T_MS + 3000));

        HostClockLine line = only();
        assertThat(line.host()).isEqualTo("host-b");
        assertThat(line.estimates()).extracting(ClockEstimate::errorBoundNs).containsExactly(310_000L, 85_000L, 60_000L);
        assertThat(line.latest().offsetNs()).isEqualTo(37_011_000);
        assertThat(line.latest().path()).containsExactly("host-b", "host-a");
    }

    @Test
    void shouldTreatAnUnchangedRepublishedEstimateAsYoungerNotAsHistory() {
        table.add(clock("host-b", "host-a", 37_020_000, 310_000, 5, T_MS));
        table.add(clock("host-b", "host-a", 37_012_000, 85_000, 9, T_MS + 1000));
        table.add(clock("host-b", "host-a", 37_012_000, 85_000, 9, T_MS + 6000));

        HostClockLine line = only();
        assertThat(line.estimates()).hasSize(2);
        assertThat(line.latest().computedAtMs()).isEqualTo(T_MS + 6000);
    }

    @Test
    void shouldIgnoreAnEstimateOlderThanTheNewest() {
        table.add(clock("host-b", "host-a", 37_012_000, 85_000, 9, T_MS + 1000));
        table.add(clock("host-b", "host-a", 37_450_000, 1_200_000, 2, T_MS));

        assertThat(only().estimates()).singleElement().satisfies(e -> assertThat(e.offsetNs()).isEqualTo(37_012_000));
    }

    @Test
    void shouldStartTheHistoryAfreshWhenTheReferenceChanges() {
        table.add(clock("host-b", "host-c", 5_000_000, 90_000, 9, T_MS));
        table.add(clock("host-b", "host-a", 37_012_000, 85_000, 3, T_MS + 1000));

        assertThat(only().estimates()).singleElement().satisfies(e -> assertThat(e.reference()).isEqualTo("host-a"));
    }

    @Test
    void shouldListHostsWithoutEstimateOrderedById() {
        table.sawHost("host-c");
        table.countRecord("host-b", false);
        table.add(clock("host-a", "host-a", 0, 0, 0, T_MS));

        assertThat(table.snapshot()).extracting(HostClockLine::host).containsExactly("host-a", "host-b", "host-c");
        assertThat(table.snapshot()).extracting(HostClockLine::latest).element(1).isNull();
    }

    @Test
    void shouldCountAlignedRecordsPerInterval() {
        table.countRecord("host-b", false);
        table.countRecord("host-b", true);
        table.countRecord("host-b", true);

        HostClockLine first = only();
        assertThat(first.intervalRecords()).isEqualTo(3);
        assertThat(first.intervalAligned()).isEqualTo(2);
        HostClockLine second = only();
        assertThat(second.intervalRecords()).isZero();
        assertThat(second.intervalAligned()).isZero();
    }

    @Test
    void shouldDropEstimatesFromBeforeTheHistorySpan() {
        // e.g. the last estimate of an earlier streams app run, read from the topic's backlog
        table.add(clock("host-b", "host-a", 37_012_000, 85_000, 40, T_MS));
        table.add(clock("host-b", "host-a", 37_400_000, 1_300_000, 2, T_MS + 600_000));
        table.add(clock("host-b", "host-a", 37_050_000, 400_000, 4, T_MS + 601_000));

        assertThat(only().estimates()).extracting(ClockEstimate::samples).containsExactly(2, 4);
    }

    @Test
    void shouldRejectAnEmptyHistoryOrANegativeSpan() {
        assertThatThrownBy(() -> new ClockTable(0, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClockTable(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCopyTheEstimateFromTheRecord() {
        ClockOffset r = ClockOffset.newBuilder(clock("host-b", "host-a", 37_000_000, 85_000, 9, T_MS))
                .setDriftPpm(-1.5).setSteps(2).build();

        table.add(r);

        assertThat(only().latest()).isEqualTo(new ClockEstimate("host-b", "host-a", 37_000_000, 85_000, -1.5, 9, 2,
                List.of("host-b", "host-a"), T_MS));
    }
}
