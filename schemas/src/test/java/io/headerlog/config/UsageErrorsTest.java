package io.headerlog.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class UsageErrorsTest {

    @Command(name = "tool", subcommands = Sub.class)
    static final class Root implements Runnable {
        @Override
        public void run() {}
    }

    @Command(name = "sub")
    static final class Sub implements Runnable {
        @Option(names = "--count")
        int count;

        @Override
        public void run() {}
    }

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = UsageErrors.install(new CommandLine(new Root()), "error: ", "headerlog");
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void shouldReportABadValueInOneLineAndPointToTheSubcommandsHelp() {
        assertThat(run("sub", "--count", "many")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().lines()).containsExactly(
                "error: Invalid value for option '--count': 'many' is not an int",
                "See 'headerlog sub --help' for the options.");
    }

    @Test
    void shouldSuggestTheOptionAMistypedOneWasMeantToBe() {
        assertThat(run("sub", "--coutn=3")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().lines()).containsExactly(
                "error: Unknown option: '--coutn=3'",
                "Possible solutions: --count",
                "See 'headerlog sub --help' for the options.");
    }
}
