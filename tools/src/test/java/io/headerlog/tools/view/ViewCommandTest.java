package io.headerlog.tools.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ViewCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ViewCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void shouldRejectRefreshOutsideItsRangeAsUsageError() {
        assertThat(run("--refresh-ms", "10")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("error: --refresh-ms must be 100..60000, was 10" + System.lineSeparator());
    }

    @Test
    void shouldRejectNegativeDuration() {
        assertThat(run("--duration", "-1")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--duration must be >= 0 seconds");
    }

    @Test
    void shouldExplainAnUnreachableRegistryInOneLine() {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        int code = run("--registry-url", "http://127.0.0.1:1", "--duration", "1");

        assertThat(code).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("error: ").contains("http://127.0.0.1:1").contains("--registry-url"));
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldRejectARegistryUrlThatIsNotAUrl() {
        assertThat(run("--registry-url", "127.0.0.1:8081")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).startsWith("error: schema registry URL '127.0.0.1:8081'");
    }

    @Test
    void shouldRejectMessageLinesOutsideItsRangeAlsoUnderTheDeprecatedName() {
        assertThat(run("--message-lines", "101")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(run("--http-lines", "-1")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().lines()).containsExactly(
                "error: --message-lines must be 0..100, was 101", "error: --message-lines must be 0..100, was -1");
    }

    @Test
    void shouldRejectTopicsThatAreNotDistinct() {
        assertThat(run("--clock-topic", "collector.stats")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("error: --enriched-topic, --stats-topic, --clock-topic and --streams-stats-topic"
                + " must differ, were 'headers.enriched', 'collector.stats', 'collector.stats' and 'streams.stats'"
                + System.lineSeparator());
    }

    @Test
    void shouldDocumentItsOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--bootstrap-servers", "--registry-url", "--duration", "--refresh-ms",
                "--plain", "--message-lines", "--http-lines", "deprecated alias", "(default: 12)");
        assertThat(out.toString()).contains("--clock-topic=TOPIC", "Topic of ClockOffset estimates", "(default: clock.offsets)");
        assertThat(out.toString()).contains("--streams-stats-topic=TOPIC", "(default: streams.stats)");
    }
}
