package io.headerlog.testing;

import java.util.List;

/** The outcome of a command run by {@link Exec}. */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {

    public ExecResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** Returns this result, or throws with the command, exit code and stderr when it failed. */
    public ExecResult orThrow() {
        if (!ok()) {
            throw new IllegalStateException(describe());
        }
        return this;
    }

    public String describe() {
        return "`" + String.join(" ", command) + "` " + (timedOut ? "timed out" : "exited with " + exitCode)
                + (stderr.isBlank() ? "" : ": " + stderr.strip()) + (stdout.isBlank() ? "" : " [stdout: " + stdout.strip() + "]");
    }
}
