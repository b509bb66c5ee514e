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
        assertThat(c.sampling().rate()).as("publishing to Kafka: sampled").isEqualTo(CollectCommand.DEFAULT_KAFKA_SAMPLE_RATE);
        assertThat(parse("--sink", "stdout").sampling().rate()).as("like tcpdump: every packet").isEqualTo(1);
        assertThat(c.sampling().keepTcpControl()).isTrue();
        assertThat(c.filters()).isEqualTo(io.headerlog.collector.bpf.FilterRules.NONE);
        assertThat(c.filterFile()).isEmpty();
        assertThat(c.flows().idleTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.cpuPriority()).as("user space gives way to the host's work")
                .isEqualTo(CollectorConfig.CpuPriorityMode.ADAPTIVE);
        assertThat(parse("--cpu-priority", "normal").cpuPriority()).isEqualTo(CollectorConfig.CpuPriorityMode.NORMAL);
    }

    @Test
    void shouldTakeTcpdumpStyleFlags() {
        CollectorConfig c = parse("-i", "eth0", "-i", "eth1", "-s", "1024", "-c", "10", "-Q", "in",
                "--sink", "stdout", "--netns", "ns1", "--host-id", "h1", "--ring-size", "4", "--clock-skew", "37ms",
                "--poll-interval", "20");
        assertThat(c.interfaces()).containsExactly("eth0", "eth1");
        assertThat(c.snapLen()).isEqualTo(1024);
        assertThat(c.maxPackets()).isEqualTo(10);
        assertThat(c.directions()).isEqualTo(Directions.INGRESS);
        assertThat(c.sink()).isEqualTo(SinkKind.STDOUT);
        assertThat(c.netns()).contains("ns1");
        assertThat(c.hostId()).isEqualTo("h1");
        assertThat(c.ringBytes()).isEqualTo(4 << 20);
        assertThat(c.clockSkew()).isEqualTo(Duration.ofMillis(37));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void shouldTakeSamplingFilterAndFlowFlags() {
        CollectorConfig c = parse("--sample-rate", "100", "--no-keep-tcp-control", "--allow-net", "198.18.0.0/15",
                "--deny-net", "198.18.5.0/24", "--allow-port", "80", "--deny-port", "22", "--allow-proto", "tcp",
                "--deny-proto", "47", "--flow-idle-timeout", "5", "--flow-active-timeout", "30", "--flow-entries", "1024");
        assertThat(c.sampling().rate()).isEqualTo(100);
        assertThat(c.sampling().keepTcpControl()).isFalse();
        assertThat(c.sampling().keepL7()).isTrue();
        assertThat(c.filters().allowCidrs()).containsExactly("198.18.0.0/15");
        assertThat(c.filters().denyCidrs()).containsExactly("198.18.5.0/24");
        assertThat(c.filters().allowPorts()).containsExactly(80);
        assertThat(c.filters().denyPorts()).containsExactly(22);
        assertThat(c.filters().allowProtocols()).containsExactly(6);
        assertThat(c.filters().denyProtocols()).containsExactly(47);
        assertThat(c.flows().idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.flows().activeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.flows().entries()).isEqualTo(1024);
    }

    @Test
    void shouldRejectBadSamplingFilterAndFlowFlags() {
        assertThatThrownBy(() -> parse("--sample-rate", "0")).hasMessageContaining("--sample-rate");
        assertThatThrownBy(() -> parse("--allow-net", "198.18.0.0/40")).hasMessageContaining("198.18.0.0/40");
        assertThatThrownBy(() -> parse("--allow-port", "80", "--deny-port", "80")).hasMessageContaining("80");
        assertThatThrownBy(() -> parse("--allow-proto", "carrier-pigeon")).hasMessageContaining("carrier-pigeon");
        assertThatThrownBy(() -> parse("--flow-idle-timeout", "30", "--flow-active-timeout", "10"))
                .hasMessageContaining("--flow-active-timeout");
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
        assertThatThrownBy(() -> parse("--poll-interval", "0")).hasMessageContaining("--poll-interval");
        assertThatThrownBy(() -> parse("--cpu-priority", "high")).hasMessageContaining("--cpu-priority");
        assertThatThrownBy(() -> parse("--sink", "file")).hasMessageContaining("--sink");
        assertThatThrownBy(() -> parse("-Q", "sideways")).hasMessageContaining("--direction");
        assertThatThrownBy(() -> parse("--clock-skew", "soon")).hasMessageContaining("duration");
        assertThatThrownBy(() -> parse("-i", "a-name-longer-than-15")).hasMessageContaining("interface name");
        assertThatThrownBy(() -> parse("--registry-url", "127.0.0.1:8081")).hasMessageContaining("--registry-url");
        // while the command line is parsed, as in the streams app (one converter for both)
        assertThatThrownBy(() -> parse("--metrics-listen", "::1:9464")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--metrics-listen takes PORT, :PORT, HOST:PORT or [IPv6]:PORT");
    }

    @Test
    void shouldTakeOptionsFromTheEnvironmentAndAConfigFileBelowFlags(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("headerlog.properties");
        java.nio.file.Files.writeString(file, "collect.sample-rate=100\nbootstrap-servers=kafka-1:9092\nmetrics-listen=:9464\n");
        String[] args = {"--config", file.toString(), "-s", "128"};
        CollectCommand cmd = new CollectCommand();
        CommandLine cl = new CommandLine(cmd);
        io.headerlog.config.ConfigDefaults.install(cl, "collect", args,
                java.util.Map.of("HEADERLOG_COLLECT_SNAPLEN", "64", "HEADERLOG_REGISTRY_URL", "http://registry:8081"));
        cl.parseArgs(args);
        CollectorConfig c = cmd.toConfig();
        assertThat(c.sampling().rate()).isEqualTo(100);
        assertThat(c.bootstrapServers()).isEqualTo("kafka-1:9092");
        assertThat(c.registryUrl()).isEqualTo("http://registry:8081");
        assertThat(c.snapLen()).isEqualTo(128);
        assertThat(c.metricsListen()).contains(new io.headerlog.metrics.ListenAddress("", 9464));
    }

    @Test
    void shouldReportABadFlagInOneLineWithUsageStatus() {
        StringWriter err = new StringWriter();
        int status = CollectCommand.commandLine().setErr(new PrintWriter(err)).execute("--snaplen", "lots");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "headerlog: error: Invalid value for option '--snaplen': 'lots' is not an int",
                "See 'headerlog collect --help' for the options.");
    }
}
