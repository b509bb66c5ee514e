package io.headerlog.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a command with a timeout and collects its output; kills the whole process tree on timeout. */
public final class Exec {
    private Exec() {}

    public static ExecResult run(Duration timeout, String... command) {
        return run(timeout, List.of(command));
    }

    public static ExecResult run(Duration timeout, List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start `" + String.join(" ", command) + "`", e);
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
        return new ExecResult(command, finished ? p.exitValue() : -1, join(out), join(err), !finished);
    }

    /** Kills a process and everything it started (SIGKILL) and waits for it. */
    public static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // A thread per stream, not the common pool: it has one worker on a two-core machine, and a
    // blocked reader there would stall everything else that uses it.
    private static CompletableFuture<String> readAsync(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("(output unreadable: " + e.getMessage() + ")");
            }
        }, "exec-output");
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
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return "(output not collected: " + e + ")";
        }
    }
}
