package io.headerlog.tools.stack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM child of the stack (broker or registry) with its output in a log file.
 *
 * <p>Children must not outlive the stack even when the owner is killed with SIGKILL, where no
 * shutdown hook runs. Linux can send a signal to a child when its parent dies
 * (PR_SET_PDEATHSIG), and util-linux's {@code setpriv --pdeathsig KILL} sets it before exec'ing
 * the JVM. The kernel ties that signal to the parent <em>thread</em>, so every child is forked
 * from one long-lived launcher thread that ends only with the owner JVM.
 */
final class ChildProcess {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "headerlog-stack-launcher");
        thread.setDaemon(true);
        return thread;
    });

    private final String name;
    private final Process process;
    private final Path outputFile;

    private ChildProcess(String name, Process process, Path outputFile) {
        this.name = name;
        this.process = process;
        this.outputFile = outputFile;
    }

    /** Starts {@code command} (a java command line) in {@code workDir}, output appended to {@code outputFile}. */
    static ChildProcess start(String name, List<String> command, Path workDir, Path outputFile) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            full.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
        try {
            Process process = LAUNCHER.submit(builder::start).get(30, TimeUnit.SECONDS);
            return new ChildProcess(name, process, outputFile);
        } catch (ExecutionException e) {
            throw new StackException("Cannot start the " + name + " (" + String.join(" ", command.subList(0, 1))
                    + "): " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StackException("Starting the " + name + " process did not return within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while starting the " + name, e);
        }
    }

    /** Runs a short-lived java command to completion, e.g. the storage format; throws with its output on failure. */
    static void runToCompletion(String name, List<String> command, Path workDir, Path outputFile, Duration timeout) {
        ChildProcess child = start(name, command, workDir, outputFile);
        try {
            if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                child.stop(Duration.ofSeconds(5));
                throw new StackException(name + " did not finish within " + timeout.toSeconds() + " s"
                        + LogTail.describe(outputFile, 20));
            }
        } catch (InterruptedException e) {
            child.stop(Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while running " + name, e);
        }
        if (child.process.exitValue() != 0) {
            throw new StackException(name + " failed with exit code " + child.process.exitValue()
                    + LogTail.describe(outputFile, 20));
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path outputFile() {
        return outputFile;
    }

    /** Exit code if it exited, for error messages. */
    String exitDescription() {
        return process.isAlive() ? "still running" : "exited with code " + process.exitValue();
    }

    /** SIGTERM, wait up to {@code timeout}, then SIGKILL (descendants too). Returns whether it exited on SIGTERM. */
    boolean stop(Duration timeout) {
        if (!process.isAlive()) {
            return true;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        boolean graceful;
        try {
            graceful = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            graceful = false;
        }
        if (!graceful) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        return graceful;
    }

    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StackException("Cannot create " + dir + " (" + e.getMessage() + "); pass a writable --data-dir", e);
        }
    }
}
