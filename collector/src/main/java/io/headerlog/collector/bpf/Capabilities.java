package io.headerlog.collector.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The capabilities eBPF capture needs, and which of them this process lacks (for EPERM messages). */
final class Capabilities {
    private Capabilities() {}

    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    /** Names the missing capabilities from a CapEff mask; CAP_SYS_ADMIN stands in for CAP_BPF and CAP_PERFMON. */
    static List<String> missing(long effective) {
        List<String> out = new ArrayList<>();
        boolean sysAdmin = has(effective, CAP_SYS_ADMIN);
        if (!has(effective, CAP_BPF) && !sysAdmin) {
            out.add("CAP_BPF");
        }
        if (!has(effective, CAP_PERFMON) && !sysAdmin) {
            out.add("CAP_PERFMON");
        }
        if (!has(effective, CAP_NET_ADMIN)) {
            out.add("CAP_NET_ADMIN");
        }
        return out;
    }

    /** The effective capability mask of this process, or -1 if /proc does not tell. */
    static long effective() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The advice part of an EPERM message. */
    static String eperm() {
        long eff = effective();
        if (eff < 0) {
            return "run as root or with CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON";
        }
        List<String> missing = missing(eff);
        if (!missing.isEmpty()) {
            return "this process lacks " + String.join(", ", missing) + "; run as root (sudo) or grant them"
                    + " (e.g. setcap cap_bpf,cap_net_admin,cap_perfmon+ep on the java binary)";
        }
        return "the process has the capabilities, so a seccomp filter, an LSM or kernel lockdown refuses bpf();"
                + " in a container, allow the bpf syscall";
    }

    private static boolean has(long mask, int cap) {
        return (mask & (1L << cap)) != 0;
    }
}
