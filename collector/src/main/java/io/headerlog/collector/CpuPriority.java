package io.headerlog.collector;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.headerlog.collector.bpf.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The Linux scheduling policy of the collector's threads: {@link Policy#IDLE} (SCHED_IDLE: runs only
 * on CPU time no other task wants) or {@link Policy#NORMAL} (SCHED_OTHER, at the niceness it was
 * started with). {@link AdaptivePriority} decides which.
 *
 * <p>The policy is per thread ({@code sched_setscheduler(tid)}), and a new thread inherits its
 * creator's. So {@link #setAllThreads} sets every thread the JVM has started so far, compiler and
 * GC threads included, and threads started later by any of them inherit it.
 */
public final class CpuPriority {

    /** The two policies the collector switches between. */
    public enum Policy {
        NORMAL(0), IDLE(5);

        /** SCHED_OTHER / SCHED_IDLE in {@code <sched.h>}. */
        final int linuxPolicy;

        Policy(int linuxPolicy) {
            this.linuxPolicy = linuxPolicy;
        }
    }

    private static final Path TASKS = Path.of("/proc/self/task");
    /** struct sched_param: the static priority, 0 for both policies; only ever read by the kernel. */
    private static final Memory NO_PRIORITY = new Memory(4);

    static {
        NO_PRIORITY.setInt(0, 0);
    }

    private CpuPriority() {
    }

    /** Sets every thread of this process to {@code policy}. */
    public static void setAllThreads(Policy policy) {
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    setThread(Integer.parseInt(task.getFileName().toString()), policy);
                } catch (NumberFormatException e) {
                    // not a thread id
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list this process's threads in " + TASKS, e);
        }
    }

    /** Sets one thread of this process to {@code policy}; a thread that ended meanwhile is skipped. */
    public static void setThread(int tid, Policy policy) {
        try {
            LibC.INSTANCE.sched_setscheduler(tid, policy.linuxPolicy, NO_PRIORITY);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.ESRCH) {
                throw new IllegalStateException("cannot set thread " + tid + " to " + policy + " scheduling: "
                        + LibC.INSTANCE.strerror(e.getErrorCode()), e);
            }
        }
    }

    /**
     * Whether this process may move a thread from idle back to normal priority: anyone may go to
     * SCHED_IDLE, but leaving it takes root, CAP_SYS_NICE or an RLIMIT_NICE that allows the thread's
     * niceness. Tried on a short-lived thread of its own, so no other thread is touched.
     */
    public static boolean mayLeaveIdle() {
        AtomicBoolean ok = new AtomicBoolean();
        Thread probe = new Thread(() -> {
            try {
                int tid = currentThreadId();
                setThread(tid, Policy.IDLE);
                setThread(tid, Policy.NORMAL);
                ok.set(true);
            } catch (RuntimeException e) {
                ok.set(false);
            }
        }, "headerlog-priority-probe");
        probe.start();
        try {
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return ok.get();
    }

    /** The calling thread's kernel thread id ({@code /proc/thread-self} links to "PID/task/TID"). */
    public static int currentThreadId() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/thread-self", e);
        }
    }

    /** A thread's policy as {@code /proc/self/task/TID/stat} reports it. */
    public static Policy policyOf(int tid) {
        try {
            int p = policyFromStat(Files.readString(TASKS.resolve(Integer.toString(tid)).resolve("stat")));
            for (Policy policy : Policy.values()) {
                if (policy.linuxPolicy == p) {
                    return policy;
                }
            }
            throw new IllegalStateException("thread " + tid + " runs under scheduling policy " + p);
        } catch (IOException e) {
            throw new UncheckedIOException("no thread " + tid + " in this process", e);
        }
    }

    /** Field 41 (policy: 0 SCHED_OTHER, 5 SCHED_IDLE, …) of a {@code /proc/…/stat} line. */
    public static int policyFromStat(String stat) {
        // the command name (field 2) is in parentheses and may itself contain spaces and ')'
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        String[] fields = stat.substring(close + 1).trim().split(" ");
        return Integer.parseInt(fields[41 - 3]); // fields[0] is field 3 (state)
    }
}
