package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CaptureConfigTest {

    private static final int PAGE = CaptureConfig.pageSize();

    @Test
    void shouldAcceptTheDefaults() {
        CaptureConfig c = CaptureConfig.defaults();
        assertThat(c.snapLen()).isEqualTo(512);
        assertThat(c.ringBytes()).isEqualTo(8 << 20);
        assertThat(c.wakeupBytes()).isEqualTo(2 << 20);
    }

    @Test
    void shouldAcceptTheLimits() {
        assertThat(new CaptureConfig(0, PAGE, 0).snapLen()).isZero();
        assertThat(new CaptureConfig(EventLayout.SNAP_MAX, 1 << 29, 1 << 29).ringBytes()).isEqualTo(1 << 29);
    }

    @Test
    void shouldRejectASnapLengthBeyondTheLargestSizeClass() {
        assertThatThrownBy(() -> new CaptureConfig(EventLayout.SNAP_MAX + 1, PAGE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snap length must be 0..8192");
        assertThatThrownBy(() -> new CaptureConfig(-1, PAGE, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectARingThatIsNotAPowerOfTwoOrSmallerThanAPage() {
        assertThatThrownBy(() -> new CaptureConfig(64, 3 * PAGE, 0)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new CaptureConfig(64, PAGE / 2, 0)).hasMessageContaining("at least one page");
    }

    @Test
    void shouldRejectARingTooLargeToViewAsOneBuffer() {
        assertThatThrownBy(() -> new CaptureConfig(64, 1 << 30, 0)).hasMessageContaining("at most 512 MiB");
    }

    @Test
    void shouldRejectAWakeupThresholdOutsideTheRing() {
        assertThatThrownBy(() -> new CaptureConfig(64, PAGE, PAGE + 1)).hasMessageContaining("wakeup threshold");
        assertThatThrownBy(() -> new CaptureConfig(64, PAGE, -1)).hasMessageContaining("wakeup threshold");
    }

    @Test
    void shouldKeepTheWakeupFractionWhenResizingTheRing() {
        CaptureConfig c = new CaptureConfig(64, 1 << 20, 1 << 18).withRingBytes(1 << 22);
        assertThat(c.wakeupBytes()).isEqualTo(1 << 20);
        assertThat(new CaptureConfig(64, 1 << 20, 0).withRingBytes(1 << 22).wakeupBytes()).isZero();
    }
}
