package io.headerlog.it.l7;

import io.headerlog.testing.Exec;
import io.headerlog.testing.Host;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running program inside a test host's namespace (a server or a capture), with its merged
 * stdout/stderr kept as lines for readiness checks and failure messages. {@link Host#start} tracks
 * the process too, so it dies with the test hosts even if {@link #close} is never reached.
 */
final class NamespaceProcess implements AutoCloseable {
    /** tshark prints a line per packet; a runaway program must still not fill the heap. */
    private static final int MAX_LINES = 200_000;

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread pump;

    private NamespaceProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.pump = new Thread(this::pumpOutput, name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    static NamespaceProcess start(Host host, String name, List<String> command) {
        return new NamespaceProcess(name, host.start(command.toArray(String[]::new)));
    }

    private void pumpOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
        synchronized (lines) {
            lines.notifyAll();
        }
    }

    /** Waits for an output line that matches; fails with the output so far if the program exits first. */
    String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
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
                if (left <= 0 || (!pump.isAlive() && seen == lines.size())) {
                    throw new AssertionError(name + (process.isAlive() ? " did not get ready within " + timeout
                            : " exited with " + process.exitValue()) + "; its output:\n" + String.join("\n", lines));
                }
                lines.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String describe() {
        return name + " (pid " + process.pid() + ")";
    }

    /**
     * Asks the program to stop with SIGTERM (servers shut down, tshark flushes its file), waits,
     * and kills it if it does not. Returns the exit status, or -1 if it had to be killed.
     */
    int stop(Duration timeout) throws InterruptedException {
        if (process.isAlive()) {
            // `ip netns exec` execs the program, so this pid is the program itself
            process.toHandle().destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Exec.kill(process);
                return -1;
            }
        }
        pump.join(5_000);
        return process.exitValue();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            stop(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Exec.kill(process);
            Thread.currentThread().interrupt();
        }
    }
}
