package io.headerlog.benchmarks.capture;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running child process (collector, tcpdump, iperf3 server, ProducerPerformance) whose output
 * lines are kept, so the benchmark can wait for "ready" lines and parse final statistics.
 */
final class Child implements AutoCloseable {
    /** Lines kept per stream: enough for every summary; a chatty child cannot fill the heap. */
    private static final int MAX_LINES = 10_000;
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** Children not closed yet; Ctrl-C (the JVM's shutdown) kills them. */
    private static final Set<Child> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Child::close), "children-cleanup"));
    }

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private Child(String name, Process process, boolean keepStdout) {
        this.name = name;
        this.process = process;
        if (keepStdout) {
            pumps.add(pump(process.getInputStream()));
        }
        pumps.add(pump(process.getErrorStream()));
    }

    /**
     * Starts {@code command}. With {@code keepStdout} false its stdout goes to /dev/null (a collector
     * with --sink stdout writes every record there), otherwise stdout and stderr lines are both kept.
     */
    static Child start(String name, List<String> command, boolean keepStdout) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            // the child gets SIGKILL when this JVM dies, even by SIGKILL: no collector stays attached
            // and no flood keeps running after the benchmark is gone (children are started from the
            // main thread, which lives as long as the benchmark, so the parent-thread rule of
            // PR_SET_PDEATHSIG cannot end them early)
            cmd.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL"));
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (!keepStdout) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            Child child = new Child(name, pb.start(), keepStdout);
            LIVE.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (`" + String.join(" ", command) + "`): "
                    + e.getMessage(), e);
        }
    }

    private Thread pump(InputStream in) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        if (lines.size() < MAX_LINES) {
                            lines.add(line);
                        }
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name + "-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for a line matching {@code match}; fails with the output so far if none comes. */
    String awaitLine(Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && pumps.stream().noneMatch(Thread::isAlive) && seen == lines.size()) {
                    throw new IllegalStateException(name + " did not become ready within " + timeout.toSeconds() + " s"
                            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + "; its output: "
                            + String.join(" | ", tail(8)));
                }
                try {
                    lines.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + name, e);
                }
            }
        }
    }

    /** The last line matching {@code match}, if any. */
    Optional<String> lastLine(Predicate<String> match) {
        synchronized (lines) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (match.test(lines.get(i))) {
                    return Optional.of(lines.get(i));
                }
            }
        }
        return Optional.empty();
    }

    List<String> tail(int n) {
        synchronized (lines) {
            return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    /** Waits for a normal end and for its output to be read; kills it after {@code timeout}. */
    int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Commands.kill(process);
                throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s; killed it");
            }
            for (Thread t : pumps) {
                t.join(5_000);
            }
        } catch (InterruptedException e) {
            Commands.kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        return process.exitValue();
    }

    /** SIGTERM (SIGKILL after {@code grace}), then waits until its output is read. */
    void stop(Duration grace) {
        Commands.terminate(process, grace);
        for (Thread t : pumps) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Commands.kill(process);
        }
        LIVE.remove(this);
    }
}
