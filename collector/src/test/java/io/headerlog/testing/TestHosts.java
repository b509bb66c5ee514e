package io.headerlog.testing;

import io.headerlog.collector.bpf.Interfaces;
import io.headerlog.collector.bpf.NetNs;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Test hosts: network namespaces joined in a chain by veth pairs (host 0 — host 1 — … — host n-1),
 * with addresses only inside them, forwarding on and routes so every host reaches every other.
 *
 * <p>Link i joins host i (interface {@code hlv<i>a}, 198.18.i.1/24, fd00:4c:0:i::1/64) and host i+1
 * ({@code hlv<i>b}, 198.18.i.2/24, fd00:4c:0:i::2/64). IPv6 addresses are added with {@code nodad}, so
 * they are usable at once. Namespace names are {@code hl-t-<pid>-<random>-<i>}.
 *
 * <p>{@link #close} kills every process left in the namespaces and deletes them (their veths go with
 * them); a JVM shutdown hook does the same if a test never gets there, and namespaces of dead JVMs
 * (killed with -9) are swept when the next TestHosts is created.
 */
public final class TestHosts implements AutoCloseable {

    public static final String PREFIX = "hl-t-";
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> namespaces = new ArrayList<>();
    private final List<Host> hosts = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private ExitCleanup exitCleanup;
    private boolean closed;

    /** A veth end: its namespace, name, index there, MAC and addresses. */
    public record Endpoint(String netns, String name, int ifindex, String mac, Inet4Address ipv4, Inet6Address ipv6) {
        public byte[] macBytes() {
            return PacketBuilder.mac(mac);
        }
    }

    /** A veth pair between host {@code index} (side a) and host {@code index + 1} (side b). */
    public record Link(int index, Endpoint a, Endpoint b) {}

    private TestHosts() {}

    /** Two hosts joined by one veth pair. */
    public static TestHosts pair() {
        return chain(2);
    }

    /** {@code count} hosts in a chain, each link a veth pair; see the class comment for addresses. */
    public static TestHosts chain(int count) {
        if (count < 1 || count > 200) {
            throw new IllegalArgumentException("1..200 hosts, got " + count);
        }
        sweepStale();
        TestHosts t = new TestHosts();
        t.exitCleanup = ExitCleanup.register("test-hosts-cleanup", t::deleteAll);
        try {
            t.create(count);
            return t;
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    private void create(int count) {
        String id = PREFIX + ProcessHandle.current().pid() + "-" + Integer.toHexString(RANDOM.nextInt(1 << 24) | (1 << 24)).substring(1);
        for (int i = 0; i < count; i++) {
            String ns = id + "-" + i;
            ip("netns", "add", ns);
            namespaces.add(ns);
            ip("-n", ns, "link", "set", "lo", "up");
            exec(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
                    "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
        }
        List<List<Endpoint>> endpoints = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            endpoints.add(new ArrayList<>());
        }
        for (int i = 0; i + 1 < count; i++) {
            Link link = createLink(i, namespaces.get(i), namespaces.get(i + 1));
            links.add(link);
            endpoints.get(i).add(link.a());
            endpoints.get(i + 1).add(0, link.b());
        }
        for (int i = 0; i < count; i++) {
            hosts.add(new Host(this, i, namespaces.get(i), List.copyOf(endpoints.get(i))));
        }
        addRoutes();
    }

    private Link createLink(int i, String nsA, String nsB) {
        String nameA = "hlv" + i + "a";
        String nameB = "hlv" + i + "b";
        String macA = String.format("02:48:4c:%02x:%02x:0a", i >>> 8, i & 0xff);
        String macB = String.format("02:48:4c:%02x:%02x:0b", i >>> 8, i & 0xff);
        ip("link", "add", nameA, "netns", nsA, "address", macA, "type", "veth",
                "peer", "name", nameB, "netns", nsB, "address", macB);
        Endpoint a = configure(nsA, nameA, macA, i, 1);
        Endpoint b = configure(nsB, nameB, macB, i, 2);
        return new Link(i, a, b);
    }

    private Endpoint configure(String ns, String name, String mac, int link, int hostPart) {
        String v4 = "198.18." + link + "." + hostPart;
        String v6 = "fd00:4c:0:" + Integer.toHexString(link) + "::" + hostPart;
        ip("-n", ns, "addr", "add", v4 + "/24", "dev", name);
        ip("-n", ns, "addr", "add", v6 + "/64", "dev", name, "nodad");
        ip("-n", ns, "link", "set", name, "up");
        int ifindex = NetNs.call(ns, () -> Interfaces.indexOf(name));
        try {
            return new Endpoint(ns, name, ifindex, mac, (Inet4Address) InetAddress.getByName(v4),
                    (Inet6Address) InetAddress.getByName(v6));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("literal address did not parse: " + e.getMessage(), e);
        }
    }

    /** In a chain, subnets beyond a neighbour are reached through that neighbour. */
    private void addRoutes() {
        for (int h = 0; h < hosts.size(); h++) {
            String ns = namespaces.get(h);
            for (Link link : links) {
                if (link.index() > h) {
                    route(ns, link, links.get(h).b());
                } else if (link.index() < h - 1) {
                    route(ns, link, links.get(h - 1).a());
                }
            }
        }
    }

    private void route(String ns, Link link, Endpoint via) {
        ip("-n", ns, "route", "add", "198.18." + link.index() + ".0/24", "via", via.ipv4().getHostAddress());
        ip("-n", ns, "-6", "route", "add", "fd00:4c:0:" + Integer.toHexString(link.index()) + "::/64", "via",
                via.ipv6().getHostAddress());
    }

    public Host host(int i) {
        return hosts.get(i);
    }

    public List<Host> hosts() {
        return List.copyOf(hosts);
    }

    /** Link i joins host i and host i+1. */
    public Link link(int i) {
        return links.get(i);
    }

    public List<Link> links() {
        return List.copyOf(links);
    }

    synchronized Process track(Process p) {
        if (closed) {
            Exec.kill(p);
            throw new IllegalStateException("test hosts are closed");
        }
        processes.add(p);
        return p;
    }

    /** Kills what runs in the namespaces and deletes them. Idempotent. */
    @Override
    public void close() {
        deleteAll();
        exitCleanup.close();
    }

    private synchronized void deleteAll() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : processes) {
            Exec.kill(p);
        }
        for (String ns : namespaces) {
            deleteNamespace(ns);
        }
    }

    private static void deleteNamespace(String ns) {
        ExecResult pids = Exec.run(COMMAND_TIMEOUT, "ip", "netns", "pids", ns);
        // Only processes inside our own namespace: started by this test, or by what it started.
        for (String pid : pids.stdout().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        ExecResult del = Exec.run(COMMAND_TIMEOUT, "ip", "netns", "del", ns);
        if (!del.ok() && Files.exists(NETNS_DIR.resolve(ns))) {
            System.err.println("TestHosts: could not delete network namespace " + ns + ": " + del.describe());
        }
    }

    /** Deletes namespaces left by TestHosts of JVMs that no longer run (e.g. killed with -9). */
    public static void sweepStale() {
        if (!Files.isDirectory(NETNS_DIR)) {
            return;
        }
        List<String> stale = new ArrayList<>();
        try (Stream<Path> entries = Files.list(NETNS_DIR)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).forEach(n -> {
                String[] parts = n.substring(PREFIX.length()).split("-");
                try {
                    if (ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()) {
                        stale.add(n);
                    }
                } catch (NumberFormatException e) {
                    // not made by TestHosts: leave it alone
                }
            });
        } catch (IOException e) {
            return;
        }
        stale.forEach(TestHosts::deleteNamespace);
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Exec.run(COMMAND_TIMEOUT, cmd).orThrow();
    }

    static ExecResult exec(String ns, String... command) {
        return execIn(ns, COMMAND_TIMEOUT, command).orThrow();
    }

    static ExecResult execIn(String ns, Duration timeout, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return Exec.run(timeout, cmd);
    }
}
