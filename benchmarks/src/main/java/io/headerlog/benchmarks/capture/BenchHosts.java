package io.headerlog.benchmarks.capture;

import io.headerlog.collector.bpf.Interfaces;
import io.headerlog.collector.bpf.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark's two hosts: network namespaces {@code hl-bench-<pid>-a} and {@code -b} joined by two
 * veth pairs: the measured one ({@value #IF_A} 198.19.77.1/24 — {@value #IF_B} 198.19.77.2/24), to
 * whose B end programs are attached, and a reference pair ({@value #IF_A_REF} 198.19.76.1/24 —
 * {@value #IF_B_REF} 198.19.76.2/24) that nothing ever watches. TCP runs alternate between the two, so
 * each monitored run has an unmonitored one a few seconds away, on the same hosts and processes.
 * Traffic only flows between the two hosts. {@link #close} kills whatever still runs inside and deletes both namespaces (the veth
 * goes with them); a shutdown hook does the same on Ctrl-C, and namespaces of benchmark JVMs that died
 * by SIGKILL are removed when the next one starts.
 */
final class BenchHosts implements AutoCloseable {
    static final String PREFIX = "hl-bench-";
    static final String IF_A = "hlbench0a";
    static final String IF_B = "hlbench0b";
    static final String ADDR_A = "198.19.77.1";
    static final String ADDR_B = "198.19.77.2";
    static final String IF_A_REF = "hlbench1a";
    static final String IF_B_REF = "hlbench1b";
    static final String ADDR_A_REF = "198.19.76.1";
    static final String ADDR_B_REF = "198.19.76.2";
    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);

    private final String nsA;
    private final String nsB;
    private final List<String> created = new ArrayList<>();
    private final Thread hook = new Thread(this::deleteAll, "bench-hosts-cleanup");
    private int ifindexB;
    private boolean closed;

    private BenchHosts(String nsA, String nsB) {
        this.nsA = nsA;
        this.nsB = nsB;
    }

    static BenchHosts create() {
        sweepStale();
        long pid = ProcessHandle.current().pid();
        BenchHosts h = new BenchHosts(PREFIX + pid + "-a", PREFIX + pid + "-b");
        Runtime.getRuntime().addShutdownHook(h.hook);
        try {
            h.build();
            return h;
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private void build() {
        for (String ns : List.of(nsA, nsB)) {
            ip("netns", "add", ns);
            created.add(ns);
            ip("-n", ns, "link", "set", "lo", "up");
        }
        vethPair(IF_A, ADDR_A, IF_B, ADDR_B);
        vethPair(IF_A_REF, ADDR_A_REF, IF_B_REF, ADDR_B_REF);
        ifindexB = NetNs.call(nsB, () -> Interfaces.indexOf(IF_B));
    }

    /** A veth pair from A ({@code ifA}, {@code addrA}/24) to B, both ends up. */
    private void vethPair(String ifA, String addrA, String ifB, String addrB) {
        ip("link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        ip("-n", nsA, "addr", "add", addrA + "/24", "dev", ifA);
        ip("-n", nsB, "addr", "add", addrB + "/24", "dev", ifB);
        ip("-n", nsA, "link", "set", ifA, "up");
        ip("-n", nsB, "link", "set", ifB, "up");
    }

    /** The sending host. */
    String nsA() {
        return nsA;
    }

    /** The host the programs are attached to (its veth end {@value #IF_B}). */
    String nsB() {
        return nsB;
    }

    int ifindexB() {
        return ifindexB;
    }

    /** {@code ip netns exec NS command...}: what runs a program inside a host. */
    static List<String> inNamespace(String ns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return cmd;
    }

    /** Packets B's veth end received and sent so far (the kernel's interface counters). */
    LinkCounters countersB() {
        return LinkCounters.read(nsB, IF_B);
    }

    @Override
    public void close() {
        deleteAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and runs the hook itself
        }
    }

    private synchronized void deleteAll() {
        if (closed) {
            return;
        }
        closed = true;
        for (String ns : created) {
            delete(ns);
        }
    }

    private static void delete(String ns) {
        // only processes inside our own namespace: started by this benchmark or by what it started
        Commands.Result pids = Commands.run(IP_TIMEOUT, "ip", "netns", "pids", ns);
        for (String pid : pids.stdout().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        Commands.Result del = Commands.run(IP_TIMEOUT, "ip", "netns", "del", ns);
        if (!del.ok() && Files.exists(NETNS_DIR.resolve(ns))) {
            System.err.println("headerlog-bench: could not delete network namespace " + ns + ": " + del.stderr().strip()
                    + "; delete it with `ip netns del " + ns + "`");
        }
    }

    /** Deletes namespaces of benchmark JVMs that no longer run. */
    private static void sweepStale() {
        if (!Files.isDirectory(NETNS_DIR)) {
            return;
        }
        List<String> stale = new ArrayList<>();
        try (Stream<Path> entries = Files.list(NETNS_DIR)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).forEach(n -> {
                String pid = n.substring(PREFIX.length()).split("-")[0];
                try {
                    if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                        stale.add(n);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            });
        } catch (IOException e) {
            return;
        }
        stale.forEach(BenchHosts::delete);
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Commands.run(IP_TIMEOUT, cmd).orThrow();
    }
}
