package io.headerlog.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.collector.CollectorConfig;
import io.headerlog.collector.CollectorConfig.Directions;
import io.headerlog.collector.CollectorConfig.SinkKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class CollectCommandTest {

    private static CollectorConfig parse(String... args) {
        CollectCommand cmd = new CollectCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.toConfig();
    }

    @Test
    void shouldDefaultToTheLocalStackAndEveryInterface() {
        CollectorConfig c = parse();
        assertThat(c.interfaces()).isEmpty();
        assertThat(c.sink()).isEqualTo(SinkKind.KAFKA);
        assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.registryUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(c.topic()).isEqualTo("headers.raw");
        assertThat(c.snapLen()).isEqualTo(512);
        assertThat(c.l7SnapLen()).isEqualTo(8192);
        assertThat(c.l7FollowBytes()).isEqualTo(16384);
        assertThat(c.ringBytes()).isEqualTo(16 << 20);
        assertThat(c.directions()).isEqualTo(Directions.BOTH);
        assertThat(c.duration()).isZero();
        assertThat(c.netns()).isEmpty();
        assertThat(c.hostId()).isNotBlank();
    }

    @Test
    void shouldTakeTcpdumpStyleFlags() {
        CollectorConfig c = parse("-i", "eth0", "-i", "eth1", "-s", "1024", "-c", "10", "-Q", "in",
                "--sink", "stdout", "--netns", "ns1", "--host-id", "h1", "--ring-size", "4", "--clock-skew", "37ms");
        assertThat(c.interfaces()).containsExactly("eth0", "eth1");
        assertThat(c.snapLen()).isEqualTo(1024);
        assertThat(c.maxPackets()).isEqualTo(10);
        assertThat(c.directions()).isEqualTo(Directions.INGRESS);
        assertThat(c.sink()).isEqualTo(SinkKind.STDOUT);
        assertThat(c.netns()).contains("ns1");
        assertThat(c.hostId()).isEqualTo("h1");
        assertThat(c.ringBytes()).isEqualTo(4 << 20);
        assertThat(c.clockSkew()).isEqualTo(Duration.ofMillis(37));
    }

    @ParameterizedTest
    @CsvSource({"37ms, 37000000", "-2ms, -2000000", "1.5s, 1500000000", "250us, 250000", "100ns, 100", "0ms, 0"})
    void shouldParseClockSkewDurations(String text, long nanos) {
        assertThat(CollectCommand.parseDuration(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @Test
    void shouldRejectBadValuesWithTheFlagName() {
        assertThatThrownBy(() -> parse("-s", "9000")).hasMessageContaining("--snaplen");
        assertThatThrownBy(() -> parse("--l7-snaplen", "9000")).hasMessageContaining("--l7-snaplen");
        assertThatThrownBy(() -> parse("--l7-follow-bytes", "-1")).hasMessageContaining("--l7-follow-bytes");
        assertThatThrownBy(() -> parse("--ring-size", "3")).hasMessageContaining("--ring-size");
        assertThatThrownBy(() -> parse("--sink", "file")).hasMessageContaining("--sink");
        assertThatThrownBy(() -> parse("-Q", "sideways")).hasMessageContaining("--direction");
        assertThatThrownBy(() -> parse("--clock-skew", "soon")).hasMessageContaining("duration");
        assertThatThrownBy(() -> parse("-i", "a-name-longer-than-15")).hasMessageContaining("interface name");
        assertThatThrownBy(() -> parse("--registry-url", "127.0.0.1:8081")).hasMessageContaining("--registry-url");
    }

    @Test
    void shouldExitWithUsageStatusOnABadFlag() {
        StringWriter err = new StringWriter();
        int status = new CommandLine(new CollectCommand()).setErr(new PrintWriter(err)).execute("--snaplen", "lots");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--snaplen");
    }
}
