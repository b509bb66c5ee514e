package io.headerlog.benchmarks.capture;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines on stderr, with the time since the benchmark started; the figures go to stdout. */
public final class Progress {
    private final PrintStream err;
    private final long start = System.nanoTime();

    public Progress(PrintStream err) {
        this.err = err;
    }

    public void step(String what) {
        err.printf(Locale.ROOT, "[%5.0fs] %s%n", elapsedSeconds(), what);
    }

    public void done(String what) {
        err.printf(Locale.ROOT, "[%5.0fs]   %s%n", elapsedSeconds(), what);
    }

    double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
