package io.headerlog.benchmarks.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU ticks per thread group of a process ({@code /proc/PID/task/TID/stat}), grouped by thread name
 * with numbers removed ("GC Thread#0" and "GC Thread#1" are one group), so a report can say where
 * the collector's CPU goes: its reader thread, the Kafka producer's I/O thread, JIT, GC. Also the
 * voluntary context switches of all threads ({@code /proc/PID/task/TID/status}): how often the
 * process wakes up. On a host whose cores are busy every wakeup preempts its work (a context switch,
 * cold caches), so at low record rates wakeups/s is what a collector costs beyond its own CPU time,
 * and unlike throughput it hardly depends on what else runs.
 */
record ThreadCpu(Map<String, Long> ticksByGroup, long voluntarySwitches) {

    /** No ticks, no switches: the start of a sum of {@link #plus} deltas. */
    static final ThreadCpu NONE = new ThreadCpu(Map.of(), 0);

    /** What one thread of a process shows in /proc: its directory and its stat line. */
    interface TaskVisitor {
        void visit(Path task, String stat) throws IOException;
    }

    /**
     * Calls {@code visitor} for every thread of {@code pid}; a thread that ends meanwhile is skipped (its
     * ticks left with it). Returns false when the process's thread list cannot be read at all.
     */
    static boolean forEachTask(long pid, TaskVisitor visitor) {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) s::iterator) {
                try {
                    visitor.visit(task, Files.readString(task.resolve("stat")));
                } catch (IOException e) {
                    // the thread ended while we listed
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static ThreadCpu of(long pid) {
        Map<String, Long> groups = new HashMap<>();
        long[] switches = {0};
        boolean read = forEachTask(pid, (task, stat) -> {
            long ticks = ProcessCpu.parseTicks(stat);
            long v = voluntarySwitches(Files.readString(task.resolve("status")));
            groups.merge(group(comm(stat)), ticks, Long::sum);
            switches[0] += v;
        });
        return read ? new ThreadCpu(groups, switches[0]) : NONE;
    }

    /**
     * This plus what happened between {@code earlier} and {@code later} (two readings of one process):
     * sums the figures of several separate intervals. A group's ticks and the switches never go down
     * within an interval; threads that ended in it took theirs along, so a sum is at least what happened.
     */
    ThreadCpu plus(ThreadCpu later, ThreadCpu earlier) {
        Map<String, Long> sum = new HashMap<>(ticksByGroup);
        later.ticksByGroup.forEach((g, t) -> sum.merge(g, Math.max(0, t - earlier.ticksByGroup.getOrDefault(g, 0L)), Long::sum));
        return new ThreadCpu(sum, voluntarySwitches + Math.max(0, later.voluntarySwitches - earlier.voluntarySwitches));
    }

    static long voluntarySwitches(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return 0;
    }

    static String comm(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    static String group(String threadName) {
        // numbers that count threads ("#1", "-3", a trailing "7"), not those in a name ("C2 CompilerThre")
        String g = threadName.replaceAll("[#-]\\d+|\\d+$", "").strip();
        return g.isEmpty() ? threadName : g;
    }

    /**
     * The {@code top} groups by CPU since {@code earlier}, as "name 4.5%" (of one core over
     * {@code seconds}), biggest first, then the process's wakeups per second.
     */
    String topSince(ThreadCpu earlier, double seconds, int top) {
        Map<String, Long> delta = new HashMap<>();
        ticksByGroup.forEach((g, t) -> delta.put(g, t - earlier.ticksByGroup.getOrDefault(g, 0L)));
        List<Map.Entry<String, Long>> sorted = delta.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top).toList();
        Map<String, String> shown = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sorted) {
            shown.put(e.getKey(), String.format(Locale.ROOT, "%.1f%%",
                    100.0 * e.getValue() / ProcessCpu.TICKS_PER_SECOND / seconds));
        }
        return shown.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                // threads that ended in between (the JIT's) take their counts along: then at least what is shown
                + String.format(Locale.ROOT, "; %s%.0f wakeups/s", voluntarySwitches < earlier.voluntarySwitches ? "≥ " : "",
                        Math.max(0, voluntarySwitches - earlier.voluntarySwitches) / seconds);
    }
}
