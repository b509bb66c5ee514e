package io.headerlog.tools.stack;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * `stack run|start|stop|status`. `run` is the supervisor: it owns the stack's children and the
 * proxy in the foreground and publishes {@link StackState}. `start` launches `run` as a detached
 * JVM (own session, no terminal) and waits for it to be ready; `stop` and `status` find it through
 * the state file, from any shell.
 */
public final class StackControl {

    static final String MAIN_CLASS = "io.headerlog.tools.ToolsCommand";
    private static final String BROKER_MARKER = "kafka.Kafka";
    private static final String REGISTRY_MARKER = "apicurio-registry-app";
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private StackControl() {
    }

    /** Runs the stack in this JVM until SIGTERM/SIGINT; returns only if the start fails (by throwing). */
    public static void runForeground(StackConfig config, PrintWriter out) throws InterruptedException {
        ChildProcess.createDirectories(config.dataDir());
        Optional<StackState> existing = liveState(config.stateFile());
        if (existing.isPresent()) {
            throw new StackException("A local stack already runs in " + config.dataDir() + " (supervisor pid "
                    + existing.get().supervisorPid() + "); stop it with `./headerlog stack stop --data-dir "
                    + config.dataDir() + "`");
        }
        long pid = ProcessHandle.current().pid();
        String startedAt = Instant.now().toString();
        state(config, pid, StackState.STARTING, null, startedAt).writeTo(config.stateFile());
        AtomicReference<LocalStack> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LocalStack stack = running.get();
            if (stack != null) {
                stack.close();
            }
            deleteStateIfOwned(config.stateFile(), pid);
            stopped.countDown();
        }, "headerlog-stack-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        LocalStack stack;
        try {
            stack = LocalStack.start(config);
        } catch (RuntimeException e) {
            deleteStateIfOwned(config.stateFile(), pid);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            throw e;
        }
        running.set(stack);
        state(config, pid, StackState.READY, stack, startedAt).writeTo(config.stateFile());
        out.println(readyMessage(config, stack.brokerStartup().toMillis(), stack.registryStartup().toMillis()));
        out.flush();
        stopped.await();
    }

    /** Starts a detached supervisor and waits until it reports ready. Returns the exit code. */
    public static int startDetached(StackConfig config, PrintWriter out) {
        ChildProcess.createDirectories(config.logDir());
        Optional<StackState> existing = liveState(config.stateFile());
        if (existing.isPresent()) {
            out.println("A local stack already runs in " + config.dataDir() + ": broker " + existing.get().bootstrapServers()
                    + ", registry " + existing.get().registryUrl() + " (" + existing.get().status() + ")");
            return 0;
        }
        cleanUpStale(config.stateFile(), out);
        StackInstall install = StackInstall.locate();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // own session: closing the terminal or Ctrl-C in it does not reach the stack
            command.add(SETSID.toString());
        }
        command.addAll(List.of(ChildProcess.javaExecutable().toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-D" + StackInstall.HOME_PROPERTY + "=" + install.kafkaLibDir().getParent(),
                "-cp", absoluteClassPath(), MAIN_CLASS, "stack", "run"));
        command.addAll(StackOptions.toArguments(config));
        Path log = config.logDir().resolve("supervisor.log");
        Process supervisor;
        try {
            supervisor = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new StackException("Cannot launch the stack supervisor: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + config.startTimeout().plusSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<StackState> state = StackState.readFrom(config.stateFile());
            if (state.isPresent() && state.get().supervisorPid() == supervisor.pid() && state.get().isReady()) {
                out.println(readyMessage(config, state.get().brokerStartupMs(), state.get().registryStartupMs()));
                out.println("Logs in " + config.logDir() + "; stop it with `./headerlog stack stop"
                        + dataDirOption(config.dataDir()) + "`");
                return 0;
            }
            if (!supervisor.isAlive()) {
                throw new StackException("The local stack did not start (supervisor exited with code "
                        + supervisor.exitValue() + ")" + LogTail.describe(log, 25));
            }
            KafkaBroker.sleep(200);
        }
        supervisor.destroy();
        throw new StackException("The local stack was not ready within " + config.startTimeout().plusSeconds(30).toSeconds()
                + " s; stopped it" + LogTail.describe(log, 25));
    }

    /** Stops the stack recorded in {@code dataDir}; returns the exit code (0 also when none runs). */
    public static int stop(Path dataDir, Duration timeout, PrintWriter out) {
        Path stateFile = dataDir.resolve("stack.json");
        Optional<StackState> state = StackState.readFrom(stateFile);
        if (state.isEmpty()) {
            out.println("No local stack runs in " + dataDir + " (no " + stateFile + ")");
            return 0;
        }
        StackState s = state.get();
        // The supervisor stops its children on SIGTERM; it gets time for both of them.
        boolean graceful = !s.isSupervisorAlive()
                || ProcessHandle.of(s.supervisorPid()).map(p -> terminate(p, timeout.multipliedBy(2).plusSeconds(10)))
                        .orElse(true);
        terminate(s.brokerPid(), BROKER_MARKER, timeout);
        terminate(s.registryPid(), REGISTRY_MARKER, timeout);
        try {
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            throw new StackException("Stopped the stack but cannot delete " + stateFile + ": " + e.getMessage(), e);
        }
        out.println("Stopped the local stack in " + dataDir + (graceful ? "" : " (had to kill it)"));
        return 0;
    }

    /** Prints the stack's state and probes it: 0 = ready, 1 = running but not answering, 3 = not running. */
    public static int status(Path dataDir, PrintWriter out) {
        Optional<StackState> state = liveState(dataDir.resolve("stack.json"));
        if (state.isEmpty()) {
            out.println("not running (data dir " + dataDir + ")");
            return 3;
        }
        StackState s = state.get();
        out.println("supervisor pid " + s.supervisorPid() + ", " + s.status() + " since " + s.startedAt());
        String broker = StackProbe.broker(s.bootstrapServers());
        String registry = StackProbe.registry(s.registryUrl());
        out.println("broker   " + s.bootstrapServers() + " (pid " + s.brokerPid() + "): " + broker);
        out.println("registry " + s.registryUrl() + " (pid " + s.registryPid() + "): " + registry);
        out.println("logs     " + Path.of(s.dataDir()).resolve("logs"));
        return broker.startsWith("ok") && registry.startsWith("ok") ? 0 : 1;
    }

    private static Optional<StackState> liveState(Path stateFile) {
        return StackState.readFrom(stateFile).filter(StackState::isSupervisorAlive);
    }

    private static void cleanUpStale(Path stateFile, PrintWriter out) {
        Optional<StackState> stale = StackState.readFrom(stateFile);
        if (stale.isEmpty()) {
            return;
        }
        out.println("Removing the state of a stack that is gone (supervisor pid " + stale.get().supervisorPid() + ")");
        terminate(stale.get().brokerPid(), BROKER_MARKER, Duration.ofSeconds(20));
        terminate(stale.get().registryPid(), REGISTRY_MARKER, Duration.ofSeconds(20));
        try {
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            throw new StackException("Cannot delete the stale " + stateFile + ": " + e.getMessage(), e);
        }
    }

    /** SIGTERM, wait, SIGKILL — only if {@code pid} still runs a command containing {@code marker} (pids get reused). */
    private static boolean terminate(long pid, String marker, Duration timeout) {
        if (!isOurs(pid, marker)) {
            return true;
        }
        return ProcessHandle.of(pid).map(p -> terminate(p, timeout)).orElse(true);
    }

    private static boolean terminate(ProcessHandle process, Duration timeout) {
        process.destroy();
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception notYet) {
            process.destroyForcibly();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the caller's port and process checks
            }
            return false;
        }
    }

    static boolean isOurs(long pid, String marker) {
        return pid > 0 && ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().commandLine()).map(line -> line.contains(marker)).orElse(false);
    }

    private static void deleteStateIfOwned(Path stateFile, long pid) {
        try {
            if (StackState.readFrom(stateFile).map(s -> s.supervisorPid() == pid).orElse(false)) {
                Files.deleteIfExists(stateFile);
            }
        } catch (IOException | StackException ignored) {
            // a stale state file is detected and removed by the next start
        }
    }

    private static StackState state(StackConfig config, long pid, String status, LocalStack stack, String startedAt) {
        return new StackState(pid, StackState.startMillis(ProcessHandle.current()), status, config.dataDir().toString(), config.bootstrapServers(), config.registryUrl(),
                stack == null ? -1 : stack.brokerPid(), stack == null ? -1 : stack.registryPid(),
                stack == null ? -1 : stack.brokerStartup().toMillis(),
                stack == null ? -1 : stack.registryStartup().toMillis(), startedAt);
    }

    private static String readyMessage(StackConfig config, long brokerMs, long registryMs) {
        return String.format("Local stack ready: broker %s, registry %s (broker up in %.1f s, registry in %.1f s; data in %s)",
                config.bootstrapServers(), config.registryUrl(), brokerMs / 1000.0, registryMs / 1000.0, config.dataDir());
    }

    /** The supervisor may not share our working directory's meaning later: no relative entries. */
    private static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    private static String dataDirOption(Path dataDir) {
        return dataDir.equals(StackConfig.DEFAULT_DATA_DIR) ? "" : " --data-dir " + dataDir;
    }
}
