package io.headerlog.it.l7;

import io.headerlog.testing.Host;
import java.time.Duration;
import java.util.List;

/**
 * dnsmasq inside a test host as an authoritative-only server for {@link TestZone}: no upstream, no
 * /etc/hosts, no config file, bound to the host's own addresses, in the foreground. It answers on
 * UDP and TCP port 53.
 */
final class DnsServer implements AutoCloseable {
    static final int PORT = 53;

    private final NamespaceProcess process;

    private DnsServer(NamespaceProcess process) {
        this.process = process;
    }

    static DnsServer start(Host host) throws InterruptedException {
        NamespaceProcess p = NamespaceProcess.start(host, "dnsmasq", List.of("dnsmasq",
                "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll",
                "--bind-interfaces",
                "--listen-address=" + host.ipv4().getHostAddress() + "," + host.ipv6().getHostAddress(),
                "--port=" + PORT, "--user=root", "--group=root", "--pid-file=", "--log-facility=-",
                // names under the domain that are not listed get NXDOMAIN instead of REFUSED
                "--local=/" + TestZone.DOMAIN + "/",
                "--local-ttl=" + TestZone.TTL,
                "--host-record=" + TestZone.SERVICE + "," + TestZone.SERVICE_V4 + "," + TestZone.SERVICE_V6,
                "--cname=" + TestZone.ALIAS + "," + TestZone.SERVICE,
                "--cname=" + TestZone.WWW + "," + TestZone.ALIAS));
        DnsServer server = new DnsServer(p);
        try {
            // the TCP listener opens together with the UDP socket
            Listening.await(host, p, host.ipv4(), PORT, Duration.ofSeconds(20));
            Listening.await(host, p, host.ipv6(), PORT, Duration.ofSeconds(20));
            return server;
        } catch (AssertionError | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
