package io.headerlog.streams.correlate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CorrelationConfigTest {

    @Test
    void shouldHaveSensibleDefaults() {
        CorrelationConfig d = CorrelationConfig.DEFAULTS;

        assertThat(d.window()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.grace()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.maxOpenPackets()).isEqualTo(50_000);
        assertThat(d.idleFlush()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.withGrace(Duration.ZERO).grace()).isZero();
        assertThat(d.withIdleFlush(Duration.ZERO).idleFlushEnabled()).isFalse();
    }

    @Test
    void shouldRejectWhatCannotWork() {
        CorrelationConfig d = CorrelationConfig.DEFAULTS;

        assertThatThrownBy(() -> d.withWindow(Duration.ZERO)).hasMessageContaining("window must be > 0");
        assertThatThrownBy(() -> d.withWindow(Duration.ofDays(2))).hasMessageContaining("window");
        assertThatThrownBy(() -> d.withWindow(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> d.withGrace(Duration.ofMillis(-1))).hasMessageContaining("grace must be >= 0");
        assertThatThrownBy(() -> d.withMaxOpenPackets(0)).hasMessageContaining("max open packets");
        assertThatThrownBy(() -> d.withIdleFlush(Duration.ofNanos(10))).hasMessageContaining("idle flush");
        assertThatThrownBy(() -> d.withIdleFlush(Duration.ofSeconds(-1))).hasMessageContaining("idle flush");
    }
}
