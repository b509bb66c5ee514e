package io.headerlog.streams.correlate;

import static io.headerlog.streams.correlate.Sightings.START_NS;
import static io.headerlog.streams.correlate.Sightings.US;
import static io.headerlog.streams.correlate.Sightings.sighting;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathOrderTest {
    private static final long T = START_NS;

    private static List<String> points(List<Sighting> ordered) {
        return ordered.stream().map(s -> s.host() + "/" + s.ifName() + "/" + s.direction()).toList();
    }

    @Test
    void shouldOrderHostsByAlignedTimeWhateverTheirOwnClocksSay() {
        // The server's own clock is 37 ms ahead, the router's 5 ms behind: only aligned time orders them.
        Sighting server = sighting("server", "eth0", "ingress", T + 37_000 * US + 250 * US, T + 250 * US, 30 * US);
        Sighting routerOut = sighting("router", "eth1", "egress", T - 5_000 * US + 130 * US, T + 130 * US, 20 * US);
        Sighting client = sighting("client", "eth0", "egress", T, T, 0L);
        Sighting routerIn = sighting("router", "eth0", "ingress", T - 5_000 * US + 100 * US, T + 100 * US, 20 * US);

        assertThat(points(PathOrder.order(List.of(server, routerOut, client, routerIn)))).containsExactly(
                "client/eth0/egress", "router/eth0/ingress", "router/eth1/egress", "server/eth0/ingress");
    }

    @Test
    void shouldOrderByTtlAndDirectionWhenClockErrorsExceedTheHopDelays() {
        // A 10 µs veth hop under ±60 µs clock bounds: the aligned times put the server before the
        // router's egress, and the router's ingress before the client. TTL and direction do not err.
        Sighting client = withTtl(sighting("client", "eth0", "egress", T + 40 * US, T + 40 * US, 0L), 64);
        Sighting routerIn = withTtl(sighting("router", "eth0", "ingress", T + 10 * US, T + 10 * US, 60 * US), 64);
        Sighting routerOut = withTtl(sighting("router", "eth1", "egress", T + 30 * US, T + 30 * US, 60 * US), 63);
        Sighting server = withTtl(sighting("server", "eth0", "ingress", T + 20 * US, T + 20 * US, 60 * US), 63);

        assertThat(points(PathOrder.order(List.of(server, routerOut, routerIn, client)))).containsExactly(
                "client/eth0/egress", "router/eth0/ingress", "router/eth1/egress", "server/eth0/ingress");
    }

    private static Sighting withTtl(Sighting s, int ttl) {
        return new Sighting(s.host(), s.ifName(), s.direction(), s.captureTimeNs(), s.alignedTimeNs(), s.clockErrorNs(),
                s.clockReference(), ttl);
    }

    @Test
    void shouldKeepOneHostsOrderOnItsOwnClockWhenOnlyOneSightingIsAligned() {
        // The router (own clock 5 ms ahead) got its clock model between its two sightings: ingress is
        // unaligned (event time = own clock, T+5.1 ms), egress aligned (T+130 µs). By event time egress
        // would come first; on the router's one clock ingress is 30 µs earlier, and that decides.
        Sighting routerIn = sighting("router", "eth0", "ingress", T + 5_000 * US + 100 * US, null, null);
        Sighting routerOut = sighting("router", "eth1", "egress", T + 5_000 * US + 130 * US, T + 130 * US, 20 * US);

        assertThat(points(PathOrder.order(List.of(routerOut, routerIn))))
                .containsExactly("router/eth0/ingress", "router/eth1/egress");
    }

    @Test
    void shouldPutIngressBeforeEgressAtEqualTimes() {
        Sighting out = sighting("router", "eth1", "egress", T, T, 0L);
        Sighting in = sighting("router", "eth0", "ingress", T, T, 0L);

        assertThat(points(PathOrder.order(List.of(out, in)))).containsExactly("router/eth0/ingress", "router/eth1/egress");
    }

    @Test
    void shouldKeepBothVisitsOfAHairpin() {
        // client → router → client (another interface): the client's two sightings are not adjacent.
        Sighting out = sighting("client", "eth0", "egress", T, T, 0L);
        Sighting rIn = sighting("router", "eth0", "ingress", T + 100 * US, T + 100 * US, 0L);
        Sighting rOut = sighting("router", "eth0", "egress", T + 120 * US, T + 120 * US, 0L);
        Sighting back = sighting("client", "eth1", "ingress", T + 220 * US, T + 220 * US, 0L);

        assertThat(points(PathOrder.order(List.of(back, rOut, out, rIn)))).containsExactly(
                "client/eth0/egress", "router/eth0/ingress", "router/eth0/egress", "client/eth1/ingress");
    }

    @Test
    void shouldNotDependOnArrivalOrder() {
        Sighting a = sighting("a", "eth0", "egress", T, T, 0L);
        Sighting b = sighting("b", "eth0", "ingress", T, T, 0L);
        Sighting c = sighting("c", "eth0", "ingress", T, T, 0L);

        assertThat(PathOrder.order(List.of(c, a, b))).isEqualTo(PathOrder.order(List.of(b, c, a)));
    }
}
