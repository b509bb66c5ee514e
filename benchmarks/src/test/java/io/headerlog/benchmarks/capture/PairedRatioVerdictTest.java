package io.headerlog.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedRatioVerdictTest {

    @Test
    void shouldGiveAPointIntervalWhenEveryPairReadsTheSame() {
        assertThat(Stats.medianInterval(List.of(0.98, 0.98, 0.98), 0.9, 500, 1)).containsExactly(0.98, 0.98);
    }

    @Test
    void shouldBracketTheMedianOfSpreadPairsAndRepeatForTheSameSeed() {
        List<Double> pairs = List.of(0.93, 0.95, 0.96, 0.97, 0.98, 0.99, 1.02);
        double[] interval = Stats.medianInterval(pairs, 0.9, 2000, 1);

        assertThat(interval[0]).isLessThan(Stats.median(pairs)).isGreaterThanOrEqualTo(0.93);
        assertThat(interval[1]).isGreaterThan(Stats.median(pairs)).isLessThanOrEqualTo(1.02);
        assertThat(Stats.medianInterval(pairs, 0.9, 2000, 1)).containsExactly(interval);
    }

    @Test
    void shouldHaveNoIntervalWithoutPairs() {
        assertThat(Stats.medianInterval(List.of(), 0.9, 100, 1)).containsExactly(Double.NaN, Double.NaN);
    }

    @Test
    void shouldCallTheTargetMetOnlyWhenTheWholeIntervalClearsIt() {
        assertThat(Report.verdict(new double[] {0.971, 0.99})).contains("met]").doesNotContain("NOT");
        assertThat(Report.verdict(new double[] {0.94, 0.969})).contains("NOT met");
        assertThat(Report.verdict(new double[] {0.95, 0.99})).contains("undecided");
    }
}
