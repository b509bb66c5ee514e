package io.headerlog.benchmarks.capture;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs short external commands (ip, iperf3 clients) with a timeout and collects their output. */
final class Commands {
    private Commands() {}

    /** The outcome of one command. */
    record Result(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {
        boolean ok() {
            return !timedOut && exitCode == 0;
        }

        Result orThrow() {
            if (!ok()) {
                throw new IllegalStateException("`" + String.join(" ", command) + "` "
                        + (timedOut ? "timed out" : "exited with " + exitCode)
                        + (stderr.isBlank() ? "" : ": " + stderr.strip().lines().findFirst().orElse("")));
            }
            return this;
        }
    }

    static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command));
    }

    static Result run(Duration timeout, List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start `" + String.join(" ", command) + "`: " + e.getMessage()
                    + "; is it installed (./headerlog setup)?", e);
        }
        CompletableFuture<String> out = readAsync(p.getInputStream());
        CompletableFuture<String> err = readAsync(p.getErrorStream());
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running `" + String.join(" ", command) + "`", e);
        }
        if (!finished) {
            kill(p);
        }
        return new Result(List.copyOf(command), finished ? p.exitValue() : -1, join(out), join(err), !finished);
    }

    /** SIGKILL to a process and everything it started, then waits for it. */
    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM (through the handle, so the pipes stay open and the last lines can still be read), then
     * SIGKILL if the process has not ended within {@code grace}.
     */
    static void terminate(Process p, Duration grace) {
        if (!p.isAlive()) {
            return;
        }
        p.toHandle().destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
        }
    }

    // One thread per stream: the common pool has one worker on a 2-core machine.
    private static CompletableFuture<String> readAsync(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        }, "command-output");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static String join(CompletableFuture<String> f) {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | TimeoutException e) {
            return "";
        }
    }
}
