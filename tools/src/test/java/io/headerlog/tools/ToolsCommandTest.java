package io.headerlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ToolsCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine commandLine = ToolsCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void shouldOfferHelpOnEveryCommand() {
        for (List<String> command : List.<List<String>>of(List.of(), List.of("stack"), List.of("stack", "start"),
                List.of("stack", "stop"), List.of("stack", "status"), List.of("stack", "run"), List.of("tail"),
                List.of("view"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Result result = run(args);
            assertThat(result.code()).as("%s --help", command).isZero();
            assertThat(result.out()).as("%s --help", command).startsWith("Usage: headerlog-tools");
        }
    }

    @Test
    void shouldListTheSubcommands() {
        assertThat(run("--help").out()).contains("stack", "tail", "view");
        assertThat(run("stack", "--help").out()).contains("start", "stop", "status", "run");
    }

    @Test
    void shouldRejectAnInvalidStackOptionWithTheReason() {
        Result result = run("stack", "start", "--broker-port", "8081");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("port 8081 is given twice");
    }

    @Test
    void shouldRejectANegativeMaxForTail() {
        Result result = run("tail", "headers.raw", "--max", "-1");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--max must be 0 (no limit) or positive");
    }

    @Test
    void shouldExplainAnUnreachableRegistryWithoutAStackTrace() throws Exception {
        int port = io.headerlog.tools.stack.FreePorts.pick(1)[0];
        Result result = run("tail", "headers.raw", "--registry-url", "http://127.0.0.1:" + port,
                "--bootstrap-servers", "127.0.0.1:" + port);

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: Cannot reach the schema registry at http://127.0.0.1:" + port)
                .contains("./headerlog stack start").doesNotContain("\tat ");
    }

    @Test
    void shouldSayWhenNoStackRunsInADataDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Result status = run("stack", "status", "--data-dir", dir.toString());
        Result stop = run("stack", "stop", "--data-dir", dir.toString());

        assertThat(status.code()).isEqualTo(3);
        assertThat(status.out()).contains("not running");
        assertThat(stop.code()).isZero();
        assertThat(stop.out()).contains("No local stack runs in " + dir);
    }
}
