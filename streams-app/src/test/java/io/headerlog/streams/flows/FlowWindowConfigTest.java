package io.headerlog.streams.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlowWindowConfigTest {

    @Test
    void shouldDefaultToTenSecondWindowsWithAGraceThatCoversTheCollectorsIdleExport() {
        FlowWindowConfig c = FlowWindowConfig.DEFAULTS;
        assertThat(c.enabled()).isTrue();
        assertThat(c.window()).isEqualTo(Duration.ofSeconds(10));
        // collector defaults: --flow-idle-timeout 15 s, exported at the next --stats-interval (5 s)
        assertThat(c.grace()).isGreaterThan(Duration.ofSeconds(15 + 5));
        assertThat(c.maxOpenWindows()).isPositive();
    }

    @Test
    void shouldRejectWindowsGraceBoundsAndIdleAdvanceOutOfRange() {
        FlowWindowConfig c = FlowWindowConfig.DEFAULTS;
        assertThatThrownBy(() -> c.withWindow(Duration.ofNanos(999_999))).hasMessageContaining("window must be >= 1 ms");
        assertThatThrownBy(() -> c.withWindow(Duration.ofDays(2))).hasMessageContaining("window");
        assertThatThrownBy(() -> c.withGrace(Duration.ofSeconds(-1))).hasMessageContaining("grace must be >= 0");
        assertThatThrownBy(() -> c.withMaxOpenWindows(0)).hasMessageContaining("max open flow windows");
        assertThatThrownBy(() -> c.withIdleAdvance(Duration.ofNanos(10))).hasMessageContaining("idle advance");
        assertThat(c.withGrace(Duration.ZERO).grace()).isZero();
        assertThat(c.withIdleAdvance(Duration.ZERO).idleAdvanceEnabled()).isFalse();
        assertThat(c.withEnabled(false).enabled()).isFalse();
    }

    @Test
    void shouldAlignWindowsToTheEpochAndSaturateNearTheEndOfTime() {
        TumblingWindows w = new TumblingWindows(10, 30);
        assertThat(w.startOf(25)).isEqualTo(20);
        assertThat(w.startOf(-5)).as("before the epoch too").isEqualTo(-10);
        assertThat(w.deadlineOf(20)).isEqualTo(60);
        assertThat(w.deadlineOf(Long.MAX_VALUE - 5)).isEqualTo(Long.MAX_VALUE);
    }
}
