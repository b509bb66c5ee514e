package io.headerlog.collector.cli;

import io.headerlog.testing.ExitCleanup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real collector jar as a child process (what ./headerlog collect runs), with its stdout and
 * stderr lines captured for assertions. Shared with the integration-tests module.
 */
public final class CollectorProcess implements AutoCloseable {
    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread outPump;
    private final Thread errPump;
    // A test JVM stopped from outside (Ctrl-C on the build) runs no close(): the collector must not
    // outlive it, attached to a namespace that is gone.
    private final ExitCleanup exitCleanup;

    private CollectorProcess(Process process) {
        this.process = process;
        this.outPump = pump(process.getInputStream(), stdout, "collector-stdout");
        this.errPump = pump(process.getErrorStream(), stderr, "collector-stderr");
        this.exitCleanup = ExitCleanup.register("collector-" + process.pid() + "-cleanup", this::stopFromHook);
    }

    /** The collector jar this module's build produced (set by failsafe). */
    public static Path jar() {
        String prop = System.getProperty("headerlog.collector.jar");
        Path jar = prop != null && !prop.isBlank() ? Path.of(prop)
                : Path.of(System.getProperty("headerlog.repo.root", ".."), "collector/target/headerlog-collector.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("collector jar " + jar + " is missing: run `mvn package` first");
        }
        return jar;
    }

    /** Starts {@code prefix... java -jar collector.jar args...}; prefix may be e.g. ip netns exec NS. */
    public static CollectorProcess start(List<String> prefix, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        // as ./headerlog runs it; without perf data a run as another user (nobody, in the test of
        // an unprivileged start) leaves no /tmp/hsperfdata_<user> behind
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:-UsePerfData");
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // Tests count and compare every packet: no sampling unless a test passes --sample-rate
        // (a flag wins over the environment). Users get the Kafka sink's default, 1 in 100.
        pb.environment().put("HEADERLOG_COLLECT_SAMPLE_RATE", "1");
        return new CollectorProcess(pb.start());
    }

    private static Thread pump(InputStream in, List<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (sink) {
                        sink.add(line);
                        sink.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until the collector says it is capturing (its links are attached). */
    public void awaitCapturing(Duration timeout) throws InterruptedException {
        awaitStderr(l -> l.startsWith("headerlog: capturing on"), timeout);
    }

    public String awaitStderr(Predicate<String> match, Duration timeout) throws InterruptedException {
        return await(stderr, match, timeout);
    }

    public String awaitStdout(Predicate<String> match, Duration timeout) throws InterruptedException {
        return await(stdout, match, timeout);
    }

    private String await(List<String> lines, Predicate<String> match, Duration timeout) throws InterruptedException {
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
                if (left <= 0 || (!process.isAlive() && seen == lines.size() && !outPump.isAlive() && !errPump.isAlive())) {
                    throw new AssertionError("no matching line within " + timeout + "; stderr so far:\n"
                            + String.join("\n", stderr()));
                }
                lines.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    /** Waits for the process to end and its output to be read; returns the exit status. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("collector still running after " + timeout + "; stderr:\n" + String.join("\n", stderr()));
        }
        outPump.join(5_000);
        errPump.join(5_000);
        return process.exitValue();
    }

    public List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    public List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: what an OOM killer or `kill -9` does. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM: a normal stop. Through the ProcessHandle, because Process.destroy() also closes the
     * pipes, and the collector's last lines (its summary) would be lost.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /**
     * SIGTERM first, so the collector ends as on Ctrl-C and removes its own temporary files (a killed
     * JVM leaves the lz4 native library in /tmp); SIGKILL if it has not ended after its close timeout.
     */
    private void stopFromHook() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        exitCleanup.close();
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
