package io.headerlog.tools.view;

import static io.headerlog.tools.view.ViewRecords.clock;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClockTrendTest {

    private static ClockEstimate bound(long errorNs) {
        return ClockEstimate.of(clock("host-b", "host-a", 37_000_000L, errorNs, 1, 0));
    }

    @Test
    void shouldHaveNoTrendWithoutTwoEstimates() {
        assertThat(ClockTrend.of(List.of())).isNull();
        assertThat(ClockTrend.of(List.of(bound(1_000)))).isNull();
    }

    @Test
    void shouldCompareTheNewestBoundWithTheOldest() {
        assertThat(ClockTrend.of(List.of(bound(1_200_000), bound(1_500_000), bound(85_000))))
                .isEqualTo(ClockTrend.NARROWING);
        assertThat(ClockTrend.of(List.of(bound(85_000), bound(40_000), bound(120_000))))
                .isEqualTo(ClockTrend.WIDENING);
    }

    @Test
    void shouldCallChangesWithinTenPercentSteady() {
        assertThat(ClockTrend.of(List.of(bound(100_000), bound(91_000)))).isEqualTo(ClockTrend.STEADY);
        assertThat(ClockTrend.of(List.of(bound(100_000), bound(109_000)))).isEqualTo(ClockTrend.STEADY);
        assertThat(ClockTrend.of(List.of(bound(0), bound(0)))).isEqualTo(ClockTrend.STEADY);
        assertThat(ClockTrend.STEADY.label()).isEqualTo("error steady");
    }
}
