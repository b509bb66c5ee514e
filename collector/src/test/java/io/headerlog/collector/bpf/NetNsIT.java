package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.testing.Host;
import io.headerlog.testing.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Entering namespaces per thread and resolving interfaces inside them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetNsIT {

    private static final Path SELF = Path.of("/proc/thread-self/ns/net");

    private TestHosts hosts;
    private Host b;

    @BeforeAll
    void start() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests create namespaces: run as root").isZero();
        hosts = TestHosts.pair();
        b = hosts.host(1);
    }

    @AfterAll
    void stop() {
        if (hosts != null) {
            hosts.close();
        }
    }

    private static Object inode(Path p) throws IOException {
        return Files.getAttribute(p, "unix:ino");
    }

    @Test
    void shouldRunTheTaskInsideTheNamespaceAndLeaveTheCallerWhereItWas() throws IOException {
        Object callerBefore = inode(SELF);

        Object inside = NetNs.call(b.netns(), () -> inode(SELF));

        assertThat(inside).isEqualTo(inode(Path.of("/var/run/netns", b.netns()))).isNotEqualTo(callerBefore);
        assertThat(inode(SELF)).isEqualTo(callerBefore);
    }

    @Test
    void shouldAcceptAnAbsoluteNamespacePath() {
        String name = NetNs.call("/var/run/netns/" + b.netns(), NetNs::describeCurrent);

        assertThat(name).isEqualTo(b.netns());
    }

    @Test
    void shouldRethrowTheTasksCheckedException() {
        assertThatThrownBy(() -> NetNs.call(b.netns(), () -> {
            throw new IOException("from inside");
        })).isInstanceOf(IOException.class).hasMessage("from inside");
    }

    @Test
    void shouldExplainAnUnknownNamespace() {
        assertThatThrownBy(() -> NetNs.call("hl-no-such-ns", () -> 1))
                .isInstanceOf(BpfException.class)
                .hasMessage("no network namespace 'hl-no-such-ns' (/var/run/netns/hl-no-such-ns does not exist); see `ip netns list`");
    }

    @Test
    void shouldResolveAnInterfaceOnlyInItsNamespace() {
        TestHosts.Endpoint eb = hosts.link(0).b();

        assertThat(NetNs.call(b.netns(), () -> Interfaces.indexOf(eb.name()))).isEqualTo(eb.ifindex());
        assertThat(NetNs.call(b.netns(), () -> Interfaces.nameOf(eb.ifindex()))).contains(eb.name());
        assertThatThrownBy(() -> NetNs.call(hosts.host(0).netns(), () -> Interfaces.indexOf(eb.name())))
                .isInstanceOf(BpfException.class)
                .hasMessage("no interface named " + eb.name() + " in network namespace " + hosts.host(0).netns() + "; see `ip link`");
    }

    @Test
    void shouldListOnlyInterfacesThatAreUpAndNotLoopback() {
        TestHosts.Endpoint eb = hosts.link(0).b();
        // A veth pair that stays down (this kernel has no dummy driver).
        b.execOrThrow("ip", "link", "add", "hldown0", "type", "veth", "peer", "name", "hldown1");
        try {
            assertThat(NetNs.call(b.netns(), Interfaces::all)).extracting(NetInterface::name)
                    .contains("lo", eb.name(), "hldown0", "hldown1");
            assertThat(NetNs.call(b.netns(), Interfaces::upNonLoopback))
                    .containsExactly(new NetInterface(eb.ifindex(), eb.name()));
        } finally {
            b.execOrThrow("ip", "link", "del", "hldown0");
        }
    }
}
