package io.headerlog.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpTransactionConfigTest {

    @Test
    void shouldHaveTheDocumentedDefaults() {
        HttpTransactionConfig d = HttpTransactionConfig.DEFAULTS;
        assertThat(d.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.joinWindow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.maxOpenRequestsPerConnection()).isEqualTo(64);
        assertThat(d.maxConnectionsPerTask()).isEqualTo(50_000);
        assertThat(d.expiryInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldRejectWhatCannotWork() {
        HttpTransactionConfig d = HttpTransactionConfig.DEFAULTS;
        assertThatThrownBy(() -> d.withResponseTimeout(Duration.ZERO)).hasMessageContaining("response timeout");
        assertThatThrownBy(() -> d.withJoinWindow(Duration.ofNanos(500))).hasMessageContaining("join window");
        assertThatThrownBy(() -> d.withResponseTimeout(null)).hasMessageContaining("must be set");
        assertThatThrownBy(() -> d.withExpiryInterval(Duration.ofSeconds(6))).hasMessageContaining("<= the join window");
        assertThatThrownBy(() -> d.withMaxOpenRequestsPerConnection(0)).hasMessageContaining("max open requests");
        assertThatThrownBy(() -> d.withMaxConnectionsPerTask(0)).hasMessageContaining("max connections");
        assertThat(d.withJoinWindow(Duration.ofSeconds(2)).withExpiryInterval(Duration.ofMillis(100)).joinWindowMs())
                .isEqualTo(2_000);
    }
}
