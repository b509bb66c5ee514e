package io.headerlog.benchmarks.capture;

import com.sun.jna.LastErrorException;
import io.headerlog.collector.bpf.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns on the kernel's BPF run-time statistics (what {@code sysctl kernel.bpf_stats_enabled=1}
 * does) for as long as this object is open (only around the runs that measure kernel ns/packet: they
 * cost two clock reads per program run), through {@code bpf_enable_stats(BPF_STATS_RUN_TIME)}:
 * the kernel keeps counting while the returned descriptor is open and stops when it closes, so the
 * setting is restored even if the benchmark dies by SIGKILL, and a sysctl value somebody else set is
 * left alone.
 */
final class BpfRunStats implements AutoCloseable {
    /** enum bpf_stats_type */
    private static final int BPF_STATS_RUN_TIME = 0;

    private final int fd;
    private boolean closed;

    private BpfRunStats(int fd) {
        this.fd = fd;
    }

    /** Whether statistics are on for everyone (sysctl kernel.bpf_stats_enabled=1), so also during throughput runs. */
    static boolean onSystemWide() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/bpf_stats_enabled")).trim().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    static BpfRunStats enable() {
        int fd = BpfCalls.INSTANCE.bpf_enable_stats(BPF_STATS_RUN_TIME);
        if (fd < 0) {
            throw new IllegalStateException("enabling BPF run-time statistics failed: " + LibC.INSTANCE.strerror(-fd)
                    + " (errno " + -fd + "); run the benchmark as root (CAP_SYS_ADMIN)");
        }
        return new BpfRunStats(fd);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            // released anyway
        }
    }
}
