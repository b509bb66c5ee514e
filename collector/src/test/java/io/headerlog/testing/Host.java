package io.headerlog.testing;

import io.headerlog.collector.bpf.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One test host of {@link TestHosts}: a network namespace and its veth ends. */
public final class Host {

    private final TestHosts owner;
    private final int index;
    private final String netns;
    private final List<TestHosts.Endpoint> endpoints;

    Host(TestHosts owner, int index, String netns, List<TestHosts.Endpoint> endpoints) {
        this.owner = owner;
        this.index = index;
        this.netns = netns;
        this.endpoints = endpoints;
    }

    public int index() {
        return index;
    }

    /** The namespace name, as `ip netns` and {@link NetNs} take it. */
    public String netns() {
        return netns;
    }

    /** The host's veth ends, toward the previous host first. */
    public List<TestHosts.Endpoint> endpoints() {
        return endpoints;
    }

    /** The first veth end (toward the previous host, or the only one). */
    public TestHosts.Endpoint endpoint() {
        if (endpoints.isEmpty()) {
            throw new IllegalStateException("host " + index + " has no links");
        }
        return endpoints.get(0);
    }

    public Inet4Address ipv4() {
        return endpoint().ipv4();
    }

    public Inet6Address ipv6() {
        return endpoint().ipv6();
    }

    /** Runs a command inside the namespace and waits for it (killed after {@code timeout}). */
    public ExecResult exec(Duration timeout, String... command) {
        return TestHosts.execIn(netns, timeout, command);
    }

    /** {@link #exec(Duration, String...)} with a 30 s timeout that throws unless the command succeeds. */
    public ExecResult execOrThrow(String... command) {
        return TestHosts.exec(netns, command);
    }

    /** Sets a sysctl of this namespace (net.* ones are per namespace). */
    public void sysctl(String key, String value) {
        execOrThrow("sysctl", "-qw", key + "=" + value);
    }

    /** Starts a long-running command inside the namespace; it is killed when the hosts close. */
    public Process start(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(command));
        try {
            return owner.track(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start `" + String.join(" ", cmd) + "`", e);
        }
    }

    /** Runs {@code task} on a thread inside this namespace (sockets made there belong to it). */
    public <T, E extends Exception> T call(NetNs.Task<T, E> task) throws E {
        return NetNs.call(netns, task);
    }

    @Override
    public String toString() {
        return "Host[" + index + " " + netns + "]";
    }
}
