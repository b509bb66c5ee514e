package io.headerlog.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StreamCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = StreamCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void shouldRejectAnUnknownProcessingGuaranteeAsUsageError() {
        assertThat(run("--processing-guarantee", "exactly_once")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("error: unknown processing guarantee 'exactly_once'; use one of "
                + "at_least_once, exactly_once_v2" + System.lineSeparator());
    }

    @Test
    void shouldReportAMistypedOptionInOneLineWithTheLikelyOne() {
        assertThat(run("--sample-rat", "10")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().lines()).containsExactly(
                "error: Unknown options: '--sample-rat', '10'",
                "Possible solutions: --sample-rate",
                "See 'headerlog stream --help' for the options.");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldRejectBadBootstrapServersBeforeConnecting() {
        assertThat(run("--bootstrap-servers", "localhost")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).startsWith("error: bootstrap server 'localhost' is not host:port");
    }

    @Test
    void shouldExplainAnUnreachableRegistryInOneLine() {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        int code = run("--registry-url", "http://127.0.0.1:1", "--duration", "1");

        assertThat(code).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("error: ").contains("http://127.0.0.1:1").contains("--registry-url"));
    }

    @Test
    void shouldRejectABadMetricsAddressAsUsageErrorBeforeStarting() {
        assertThat(run("--metrics-listen", "host:port")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--metrics-listen takes PORT, :PORT, HOST:PORT or [IPv6]:PORT")
                .contains("got 'host:port'").doesNotContain("Exception");
    }

    @Test
    void shouldDocumentItsOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--bootstrap-servers", "--registry-url", "--application-id",
                "--state-dir", "--duration", "--processing-guarantee", "--threads", "--stats-topic", "--stats-interval");
    }

    @Test
    void shouldDocumentTheFlowSummaryOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--flows-topic", "--flow-summary-topic", "--flow-window", "--flow-window-grace",
                "--no-flow-summary");
    }

    @Test
    void shouldRejectAFlowWindowBelowOneSecondAsUsageError() {
        assertThat(run("--flow-window", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).startsWith("error: --flow-window must be >= 1");
    }

    @Test
    void shouldRejectAStatsIntervalBelow100msAsUsageError() {
        assertThat(run("--stats-interval", "0.05")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).startsWith("error: stats interval (--stats-interval) must be at least 100 ms");
    }
}
