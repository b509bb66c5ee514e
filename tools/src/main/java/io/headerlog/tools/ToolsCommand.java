package io.headerlog.tools;

import io.headerlog.config.UsageErrors;
import io.headerlog.registry.SchemaRegistryException;
import io.headerlog.tools.stack.StackCommand;
import io.headerlog.tools.stack.StackException;
import io.headerlog.tools.tail.TailCommand;
import io.headerlog.tools.tail.TailException;
import io.headerlog.tools.view.ViewCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Entry point of the tools jar: `stack`, `tail`, `view`. */
@Command(name = "headerlog-tools", mixinStandardHelpOptions = true, version = "headerlog tools 0.1.0",
        description = "The local Kafka + schema registry stack, topic tail and the live demo view.",
        subcommands = {StackCommand.class, TailCommand.class, ViewCommand.class})
public final class ToolsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: stack, tail or view");
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:headerlog-tools-log4j2.xml");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; errors the user can fix are printed as one message, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine commandLine = UsageErrors.install(new CommandLine(new ToolsCommand()), "error: ", "headerlog");
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof StackException || e instanceof TailException || e instanceof SchemaRegistryException
                    || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                cmd.getErr().println("error: " + e.getMessage());
                cmd.getErr().flush();
                return 1;
            }
            throw e;
        });
        return commandLine;
    }
}
