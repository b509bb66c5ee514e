package io.headerlog.benchmarks.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kernel's run-time statistics of BPF programs (run_time_ns, run_cnt; counted while
 * {@link BpfRunStats} is on), read from {@code /proc/PID/fdinfo} of the descriptors that process
 * holds. Reading them through the owner's descriptors names exactly the programs of the collector
 * (or count-only loader) being measured, even when other headerlog programs run on the same machine.
 */
record ProgramRunTime(long runTimeNs, long runs, int programs) {
    /** Nothing attached: no programs, no runs. */
    static final ProgramRunTime NONE = new ProgramRunTime(0, 0, 0);
    private static final String PROG_INODE = "anon_inode:bpf-prog";
    private static final String LINK_INODE = "anon_inode:bpf_link";

    /** Sums the programs that {@code pid}'s BPF links attach (its programs that run on packets). */
    static ProgramRunTime ofAttachedPrograms(long pid) {
        Path fdDir = Path.of("/proc", Long.toString(pid), "fd");
        Set<Long> attached = new HashSet<>();
        for (int fd : descriptors(fdDir, LINK_INODE)) {
            Long progId = fdinfo(pid, fd).get("prog_id");
            if (progId != null) {
                attached.add(progId);
            }
        }
        long time = 0;
        long runs = 0;
        int programs = 0;
        for (int fd : descriptors(fdDir, PROG_INODE)) {
            Map<String, Long> info = fdinfo(pid, fd);
            if (attached.contains(info.get("prog_id"))) {
                time += info.getOrDefault("run_time_ns", 0L);
                runs += info.getOrDefault("run_cnt", 0L);
                programs++;
            }
        }
        return new ProgramRunTime(time, runs, programs);
    }

    /** Sums the given program descriptors of {@code pid}. */
    static ProgramRunTime ofProgramFds(long pid, List<Integer> fds) {
        long time = 0;
        long runs = 0;
        for (int fd : fds) {
            Map<String, Long> info = fdinfo(pid, fd);
            time += info.getOrDefault("run_time_ns", 0L);
            runs += info.getOrDefault("run_cnt", 0L);
        }
        return new ProgramRunTime(time, runs, fds.size());
    }

    ProgramRunTime minus(ProgramRunTime earlier) {
        return new ProgramRunTime(runTimeNs - earlier.runTimeNs, runs - earlier.runs, programs);
    }

    /** Mean kernel time per program run (one run per packet and hook), NaN without runs. */
    double nsPerRun() {
        return runs == 0 ? Double.NaN : (double) runTimeNs / runs;
    }

    /** The "key:\tvalue" lines of an fdinfo file whose values are numbers. */
    static Map<String, Long> parseFdinfo(String text) {
        return text.lines().map(l -> l.split(":\\s*", 2)).filter(kv -> kv.length == 2 && kv[1].strip().matches("\\d+"))
                .collect(Collectors.toMap(kv -> kv[0].strip(), kv -> Long.parseLong(kv[1].strip()), (a, b) -> b));
    }

    private static Map<String, Long> fdinfo(long pid, int fd) {
        try {
            return parseFdinfo(Files.readString(Path.of("/proc", Long.toString(pid), "fdinfo", Integer.toString(fd))));
        } catch (IOException e) {
            // the descriptor was closed between listing and reading: it holds nothing to count now
            return Map.of();
        }
    }

    private static List<Integer> descriptors(Path fdDir, String inode) {
        try (Stream<Path> fds = Files.list(fdDir)) {
            return fds.filter(p -> inode.equals(readLink(p))).map(p -> Integer.parseInt(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + fdDir + " (" + e.getMessage() + "); is the process still running"
                    + " and is this benchmark root?", e);
        }
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
