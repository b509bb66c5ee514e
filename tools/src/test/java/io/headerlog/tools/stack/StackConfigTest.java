package io.headerlog.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    private static StackConfig config(int broker, int controller, int registry, int apicurio, String heap, Duration start) {
        return new StackConfig(Path.of("/tmp/x"), broker, controller, registry, apicurio, heap, "512m", start,
                Duration.ofSeconds(5));
    }

    @Test
    void shouldDescribeTheDefaultEndpoints() {
        StackConfig config = StackConfig.defaults(Path.of("relative/dir"));

        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.registryUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(config.dataDir().isAbsolute()).isTrue();
        assertThat(config.dataDir().endsWith(Path.of("relative", "dir"))).isTrue();
        assertThat(config.stateFile()).isEqualTo(config.dataDir().resolve("stack.json"));
    }

    @Test
    void shouldRejectTheSamePortTwice() {
        assertThatThrownBy(() -> config(9092, 9093, 9092, 18081, "768m", Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 9092 is given twice");
    }

    @Test
    void shouldRejectPortsOutsideTheRange() {
        assertThatThrownBy(() -> config(0, 9093, 8081, 18081, "768m", Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 0 is outside 1-65535");
        assertThatThrownBy(() -> config(9092, 70000, 8081, 18081, "768m", Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }

    @Test
    void shouldRejectAHeapThatIsNotAJvmSize() {
        assertThatThrownBy(() -> config(9092, 9093, 8081, 18081, "768", Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broker heap '768'");
        assertThat(config(9092, 9093, 8081, 18081, "1g", Duration.ofSeconds(60)).brokerHeap()).isEqualTo("1g");
    }

    @Test
    void shouldRejectANonPositiveTimeout() {
        assertThatThrownBy(() -> config(9092, 9093, 8081, 18081, "768m", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start timeout must be positive");
    }

    @Test
    void shouldPickDistinctFreePorts() {
        StackConfig config = StackConfig.onFreePorts(Path.of("/tmp/y"));

        assertThat(FreePorts.isFree(config.brokerPort())).isTrue();
        assertThat(java.util.Set.of(config.brokerPort(), config.controllerPort(), config.registryPort(),
                config.apicurioPort())).hasSize(4);
    }

    @Test
    void shouldRoundTripThroughTheSupervisorsArguments() {
        StackConfig config = StackConfig.onFreePorts(Path.of("/tmp/z"));
        StackOptions options = new StackOptions();
        new picocli.CommandLine(options).parseArgs(StackOptions.toArguments(config).toArray(String[]::new));

        assertThat(options.toConfig()).isEqualTo(config);
    }
}
