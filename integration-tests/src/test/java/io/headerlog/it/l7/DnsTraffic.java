package io.headerlog.it.l7;

import io.headerlog.it.l7.Dig.Lookup;
import io.headerlog.testing.Host;
import java.util.List;

/** dig queries from one host to {@link DnsServer} in the other, over UDP and TCP, IPv4 and IPv6. */
final class DnsTraffic {
    private DnsTraffic() {
    }

    static List<Lookup> run(Host client, Host server) {
        return List.of(
                Dig.query(client, server.ipv4(), TestZone.WWW, "A", false),
                Dig.query(client, server.ipv4(), TestZone.SERVICE, "AAAA", false),
                Dig.query(client, server.ipv4(), TestZone.WWW, "AAAA", true),
                Dig.query(client, server.ipv4(), TestZone.SERVICE, "A", true),
                Dig.query(client, server.ipv4(), TestZone.MISSING, "A", false),
                Dig.query(client, server.ipv6(), TestZone.WWW, "A", false));
    }
}
