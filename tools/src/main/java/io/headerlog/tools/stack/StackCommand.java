package io.headerlog.tools.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `stack start|stop|status|run`: the local Kafka broker + schema registry. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = {"The local stack: a single-node Kafka broker (KRaft) on 127.0.0.1:9092 and a Confluent-API"
                + " schema registry (Apicurio) on http://127.0.0.1:8081, as child processes with one data directory."},
        subcommands = {StackCommand.Start.class, StackCommand.Stop.class, StackCommand.Status.class,
                StackCommand.Run.class})
public final class StackCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: start, stop, status or run");
    }

    static StackConfig config(StackOptions options, CommandSpec spec) {
        try {
            return options.toConfig();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the stack in the background and wait until broker and registry answer.")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StackOptions options;

        @Override
        public Integer call() {
            return StackControl.startDetached(config(options, spec), spec.commandLine().getOut());
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the stack in the foreground until Ctrl-C (or SIGTERM).")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StackOptions options;

        @Override
        public Integer call() throws InterruptedException {
            StackControl.runForeground(config(options, spec), spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the stack started with `stack start` (SIGTERM, SIGKILL after the timeout).")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/var/lib/headerlog/stack",
                description = "Data directory of the stack (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--stop-timeout", paramLabel = "SECONDS", defaultValue = "20",
                description = "Time each part may take to exit before SIGKILL (default: ${DEFAULT-VALUE}).")
        long stopTimeoutSeconds;

        @Override
        public Integer call() {
            if (stopTimeoutSeconds < 1) {
                throw new ParameterException(spec.commandLine(), "--stop-timeout must be at least 1 second");
            }
            return StackControl.stop(dataDir.toAbsolutePath().normalize(), Duration.ofSeconds(stopTimeoutSeconds),
                    spec.commandLine().getOut());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show whether the stack runs and answers.",
                    "Exit code 0 = ready, 1 = running but not answering, 3 = not running."})
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/var/lib/headerlog/stack",
                description = "Data directory of the stack (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Override
        public Integer call() {
            return StackControl.status(dataDir.toAbsolutePath().normalize(), spec.commandLine().getOut());
        }
    }
}
