package io.headerlog.benchmarks.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine the figures were measured on, and how busy it was. */
public record MachineInfo(int cpus, String kernel, String cpuModel, long memoryMiB) {

    public static MachineInfo read() {
        String model = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        long memKb = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).orElse(0L);
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), read("/proc/sys/kernel/osrelease").strip(),
                model, memKb / 1024);
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
    public static String loadAverage() {
        String[] f = read("/proc/loadavg").strip().split("\\s+");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
    }

    public String describe() {
        return cpus + " CPUs (" + cpuModel + "), " + memoryMiB + " MiB, Linux " + kernel;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return "";
        }
    }
}
