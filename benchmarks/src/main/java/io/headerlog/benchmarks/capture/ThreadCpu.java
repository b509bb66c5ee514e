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

    static ThreadCpu of(long pid) {
        Map<String, Long> groups = new HashMap<>();
        long switches = 0;
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> s = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) s::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    groups.merge(group(comm(stat)), ProcessCpu.parseTicks(stat), Long::sum);
                    switches += voluntarySwitches(Files.readString(task.resolve("status")));
                } catch (IOException e) {
                    // the thread ended while we listed: its ticks left with it
                }
            }
        } catch (IOException e) {
            return new ThreadCpu(Map.of(), 0);
        }
        return new ThreadCpu(groups, switches);
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
