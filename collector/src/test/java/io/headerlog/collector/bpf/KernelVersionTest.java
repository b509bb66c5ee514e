package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelVersionTest {

    @Test
    void shouldParseDistributionReleaseStrings() {
        assertThat(KernelVersion.parse("6.18.44-fc-v782")).isEqualTo(new KernelVersion(6, 18));
        assertThat(KernelVersion.parse("6.1.0-28-amd64")).isEqualTo(new KernelVersion(6, 1));
        assertThat(KernelVersion.parse("6.6")).isEqualTo(new KernelVersion(6, 6));
    }

    @Test
    void shouldTreatAnUnknownFormatAsUnknown() {
        assertThat(KernelVersion.parse("").known()).isFalse();
        assertThat(KernelVersion.parse("linux").known()).isFalse();
    }

    @Test
    void shouldCompareAgainstTheTcxMinimum() {
        assertThat(new KernelVersion(6, 6).atLeast(6, 6)).isTrue();
        assertThat(new KernelVersion(7, 0).atLeast(6, 6)).isTrue();
        assertThat(new KernelVersion(6, 5).atLeast(6, 6)).isFalse();
        assertThat(new KernelVersion(5, 15).atLeast(6, 6)).isFalse();
    }
}
