package io.headerlog.tools.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClockFormatTest {

    @Test
    void shouldShowOffsetsInMillisecondsWithMicrosecondResolutionAndSign() {
        assertThat(ClockFormat.offsetMs(37_012_345L)).isEqualTo("+37.012");
        assertThat(ClockFormat.offsetMs(-2_000_600L)).isEqualTo("-2.001");
        assertThat(ClockFormat.offsetMs(0)).isEqualTo("+0.000");
        assertThat(ClockFormat.offsetMs(5_000_123_456_789L)).isEqualTo("+5000123.457");
    }

    @Test
    void shouldShowBoundsWithThreeSignificantDigitsInTheirUnit() {
        assertThat(ClockFormat.bound(0)).isEqualTo("0ns");
        assertThat(ClockFormat.bound(850)).isEqualTo("850ns");
        assertThat(ClockFormat.bound(1_234)).isEqualTo("1.23us");
        assertThat(ClockFormat.bound(85_312)).isEqualTo("85.3us");
        assertThat(ClockFormat.bound(310_400)).isEqualTo("310us");
        assertThat(ClockFormat.bound(1_204_000)).isEqualTo("1.20ms");
        assertThat(ClockFormat.bound(37_000_000)).isEqualTo("37.0ms");
        assertThat(ClockFormat.bound(2_500_000_000L)).isEqualTo("2.50s");
    }

    @Test
    void shouldNotGrowAFourthDigitWhenRoundingUp() {
        assertThat(ClockFormat.bound(9_996)).isEqualTo("10.0us");
        assertThat(ClockFormat.bound(99_960)).isEqualTo("100us");
    }

    @Test
    void shouldWriteOnlyAscii() {
        for (long ns : new long[] {1, 1_500, 1_500_000, 1_500_000_000L}) {
            assertThat(ClockFormat.bound(ns)).matches("\\p{ASCII}+");
        }
    }

    @Test
    void shouldShowAgesFinerWhenYoung() {
        assertThat(ClockFormat.age(420)).isEqualTo("0.4s");
        assertThat(ClockFormat.age(9_949)).isEqualTo("9.9s");
        assertThat(ClockFormat.age(42_900)).isEqualTo("42s");
        assertThat(ClockFormat.age(185_000)).isEqualTo("3m05s");
        // The streams app's clock may run a little ahead of the viewer's.
        assertThat(ClockFormat.age(-30)).isEqualTo("0.0s");
    }

    @Test
    void shouldRoundSharesDownSoOnlyAllIsHundredPercent() {
        assertThat(ClockFormat.share(0, 0)).isEqualTo("-");
        assertThat(ClockFormat.share(0, 12)).isEqualTo("0%");
        assertThat(ClockFormat.share(1, 300)).isEqualTo("<1%");
        assertThat(ClockFormat.share(299, 300)).isEqualTo("99%");
        assertThat(ClockFormat.share(300, 300)).isEqualTo("100%");
    }
}
