package io.headerlog.config;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every headerlog command reports a command line it cannot parse (an unknown option, a value
 * that is not a number, a missing argument): one line that says what is wrong, picocli's "did you
 * mean" for a mistyped option, and where the options are described. Picocli's default prints the
 * whole usage text, which buries the one line that matters and looks unlike the one-line errors the
 * commands print for values they reject themselves.
 */
public final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    private final String prefix;
    private final String program;

    private UsageErrors(String prefix, String program) {
        this.prefix = prefix;
        this.program = program;
    }

    /**
     * Installs the handler on {@code commandLine} and its subcommands. {@code prefix} starts the
     * error line as the command's own errors do ("error: ", "headerlog: error: "); {@code program}
     * is how users start the root command ("headerlog collect"), shown in the help hint.
     */
    public static CommandLine install(CommandLine commandLine, String prefix, String program) {
        return commandLine.setParameterExceptionHandler(new UsageErrors(prefix, program));
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(prefix + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("See '" + helpCommand(cmd) + " --help' for the options.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The failing (sub)command as users type it: the root's name replaced by {@code program}. */
    private String helpCommand(CommandLine cmd) {
        String qualified = cmd.getCommandSpec().qualifiedName(" ");
        String root = cmd.getCommandSpec().root().name();
        return program + qualified.substring(Math.min(root.length(), qualified.length()));
    }
}
