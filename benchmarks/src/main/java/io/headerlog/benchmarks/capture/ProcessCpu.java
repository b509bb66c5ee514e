package io.headerlog.benchmarks.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used (user + system, all its threads) from {@code /proc/PID/stat}, and the
 * share of one core it used between two readings.
 */
record ProcessCpu(long ticks, long atNanos) {
    /** USER_HZ: the unit of utime and stime; 100 on every Linux architecture headerlog runs on. */
    static final long TICKS_PER_SECOND = 100;
    /** utime and stime are fields 14 and 15; fields after the ")" that ends comm start at field 3. */
    private static final int UTIME_AFTER_COMM = 14 - 3;

    static ProcessCpu of(long pid) {
        try {
            return new ProcessCpu(parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))), System.nanoTime());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat (" + e.getMessage()
                    + "); the measured process ended early — see its output above", e);
        }
    }

    /** utime + stime of a /proc/PID/stat line; the command name may contain spaces and parentheses. */
    static long parseTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[UTIME_AFTER_COMM]) + Long.parseLong(f[UTIME_AFTER_COMM + 1]);
    }

    /** CPU seconds used since {@code earlier}. */
    double secondsSince(ProcessCpu earlier) {
        return (double) (ticks - earlier.ticks) / TICKS_PER_SECOND;
    }

    /** Percent of one core used since {@code earlier} (200% = both cores of a 2-core machine). */
    double percentSince(ProcessCpu earlier) {
        double wall = (atNanos - earlier.atNanos) / 1e9;
        return wall <= 0 ? Double.NaN : 100.0 * secondsSince(earlier) / wall;
    }
}
