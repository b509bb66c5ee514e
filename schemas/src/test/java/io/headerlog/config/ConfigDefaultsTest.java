package io.headerlog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ConfigDefaultsTest {

    @Command(name = "collect")
    static final class Collect {
        @Option(names = "--config") Path config;
        @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "127.0.0.1:9092") String bootstrap;
        @Option(names = "--sample-rate", defaultValue = "1") int sampleRate;
        @Option(names = "--snaplen", defaultValue = "512") int snapLen;
        @Option(names = "--keep-l7", negatable = true, defaultValue = "true", fallbackValue = "true") boolean keepL7;
        @Option(names = {"-i", "--interface"}) List<String> interfaces;
    }

    private static Collect parse(Map<String, String> env, String... args) {
        Collect c = new Collect();
        CommandLine cl = new CommandLine(c);
        ConfigDefaults.install(cl, "collect", args, env);
        cl.parseArgs(args);
        return c;
    }

    @Test
    void shouldTakeFlagsOverEnvironmentOverFileOverBuiltInDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("headerlog.properties");
        Files.writeString(file, "bootstrap-servers=kafka-1:9092\ncollect.sample-rate=100\nstream.sample-rate=7\n"
                + "snaplen=256\nkeep-l7=false\ninterface=eth1\n");

        Collect fromFile = parse(Map.of(), "--config", file.toString());
        assertThat(fromFile.bootstrap).isEqualTo("kafka-1:9092");
        assertThat(fromFile.sampleRate).isEqualTo(100);
        assertThat(fromFile.snapLen).isEqualTo(256);
        assertThat(fromFile.keepL7).isFalse();
        assertThat(fromFile.interfaces).containsExactly("eth1");

        Collect fromEnv = parse(Map.of("HEADERLOG_CONFIG", file.toString(), "HEADERLOG_SAMPLE_RATE", "10",
                "HEADERLOG_COLLECT_SAMPLE_RATE", "1000", "HEADERLOG_BOOTSTRAP_SERVERS", "kafka-2:9092"));
        assertThat(fromEnv.sampleRate).isEqualTo(1000);
        assertThat(fromEnv.bootstrap).isEqualTo("kafka-2:9092");
        assertThat(fromEnv.snapLen).isEqualTo(256);

        Collect fromFlags = parse(Map.of("HEADERLOG_COLLECT_SAMPLE_RATE", "1000"), "--config=" + file, "--sample-rate", "3",
                "-i", "eth0");
        assertThat(fromFlags.sampleRate).isEqualTo(3);
        assertThat(fromFlags.interfaces).containsExactly("eth0");

        Collect builtIn = parse(Map.of());
        assertThat(builtIn.sampleRate).isEqualTo(1);
        assertThat(builtIn.bootstrap).isEqualTo("127.0.0.1:9092");
        assertThat(builtIn.keepL7).isTrue();
    }

    @Test
    void shouldRejectAMisspeltNameOfThisAppAndIgnoreOtherApps(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "collect.sample-rte=100\n");
        assertThatThrownBy(() -> parse(Map.of(), "--config", file.toString()))
                .hasMessageContaining("collect.sample-rte").hasMessageContaining(file.toString());
        assertThatThrownBy(() -> parse(Map.of("HEADERLOG_COLLECT_SNAPLENGTH", "9")))
                .hasMessageContaining("HEADERLOG_COLLECT_SNAPLENGTH").hasMessageContaining("--snaplength");
        assertThat(parse(Map.of("HEADERLOG_STREAM_FILTER", "x", "HEADERLOG_JAVA_OPTS", "-Xmx1g")).sampleRate).isEqualTo(1);
        assertThatThrownBy(() -> parse(Map.of(), "--config", dir.resolve("missing").toString()))
                .hasMessageContaining("cannot read the config file").hasMessageContaining("missing");
    }

    @Test
    void shouldNameEnvironmentVariablesAfterTheLongOption() {
        assertThat(ConfigDefaults.envName("collect-sample-rate")).isEqualTo("HEADERLOG_COLLECT_SAMPLE_RATE");
        assertThat(ConfigDefaults.envName("registry-url")).isEqualTo("HEADERLOG_REGISTRY_URL");
    }
}
