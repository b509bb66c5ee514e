package io.headerlog.collector.reassembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReassemblyLimitsTest {

    @Test
    void shouldDefaultTo16KiBMessages4096Streams32MiBAndTwoSeconds() {
        ReassemblyLimits d = ReassemblyLimits.defaults();
        assertThat(d.maxMessageBytes()).isEqualTo(16384);
        assertThat(d.maxStreams()).isEqualTo(4096);
        assertThat(d.maxTotalBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(d.idleTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldRejectAMessageLimitOutsideItsRange() {
        assertThatThrownBy(() -> new ReassemblyLimits(63, 10, 1 << 20, Duration.ofSeconds(1)))
                .hasMessageContaining("message limit must be 64..16777216 bytes, got 63");
        assertThatThrownBy(() -> new ReassemblyLimits((1 << 24) + 1, 10, 1L << 30, Duration.ofSeconds(1)))
                .hasMessageContaining("message limit");
    }

    @Test
    void shouldRejectAStreamLimitBelowOne() {
        assertThatThrownBy(() -> new ReassemblyLimits(1024, 0, 1 << 20, Duration.ofSeconds(1)))
                .hasMessageContaining("stream limit must be 1..");
    }

    @Test
    void shouldRequireTheTotalToHoldAtLeastOneMessage() {
        assertThatThrownBy(() -> new ReassemblyLimits(4096, 10, 4095, Duration.ofSeconds(1)))
                .hasMessageContaining("total-bytes limit (4095) must be at least the message limit (4096)");
    }

    @Test
    void shouldRejectZeroNegativeOrHugeTimeouts() {
        assertThatThrownBy(() -> new ReassemblyLimits(1024, 10, 1 << 20, Duration.ZERO))
                .hasMessageContaining("idle timeout");
        assertThatThrownBy(() -> new ReassemblyLimits(1024, 10, 1 << 20, Duration.ofMillis(-1)))
                .hasMessageContaining("idle timeout");
        assertThatThrownBy(() -> new ReassemblyLimits(1024, 10, 1 << 20, Duration.ofHours(1)))
                .hasMessageContaining("at most 10 min");
    }
}
