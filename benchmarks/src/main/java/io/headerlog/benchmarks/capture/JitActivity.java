package io.headerlog.benchmarks.capture;

import java.util.HashMap;
import java.util.Map;

/**
 * CPU ticks of a JVM's JIT compiler threads ("C1 CompilerThread…", "C2 CompilerThread…"), per thread.
 *
 * <p>Why the benchmark watches them: at the default sample rate a collector handles a few hundred
 * records per second, and code run once per batch or per poll reaches C2's thresholds only after
 * minutes. Until then C2 takes several per cent of a core, which a host with busy cores pays for in
 * throughput, but which a collector that has run for a while no longer costs. The throughput phase
 * warms a collector up until its compilers are quiet, so it measures the steady state.
 *
 * <p>Per thread rather than per name group because the JVM starts and stops compiler threads as its
 * queue grows and shrinks: a thread that ended takes its ticks along, which would make a group's
 * total shrink. Such a thread's ticks since the earlier snapshot are missing from the difference.
 */
record JitActivity(Map<String, Long> ticksByThread) {

    static JitActivity of(long pid) {
        Map<String, Long> ticks = new HashMap<>();
        ThreadCpu.forEachTask(pid, (task, stat) -> {
            if (isCompiler(ThreadCpu.comm(stat))) {
                ticks.put(task.getFileName().toString(), ProcessCpu.parseTicks(stat));
            }
        });
        return new JitActivity(Map.copyOf(ticks));
    }

    static boolean isCompiler(String threadName) {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
    }

    /** Per cent of one core the compiler threads used since {@code earlier}, over {@code seconds}. */
    double percentSince(JitActivity earlier, double seconds) {
        long ticks = 0;
        for (Map.Entry<String, Long> e : ticksByThread.entrySet()) {
            ticks += Math.max(0, e.getValue() - earlier.ticksByThread.getOrDefault(e.getKey(), 0L));
        }
        return 100.0 * ticks / ProcessCpu.TICKS_PER_SECOND / seconds;
    }
}
