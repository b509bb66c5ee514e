package io.headerlog.streams.correlate;

import static io.headerlog.streams.correlate.Sightings.START_NS;
import static io.headerlog.streams.correlate.Sightings.US;
import static io.headerlog.streams.correlate.Sightings.sighting;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathTimingTest {
    private static final long T = START_NS;

    private final Sighting client = sighting("client", "eth0", "egress", T, T, 0L);
    private final Sighting routerIn = sighting("router", "eth0", "ingress", T - 5_000 * US + 101 * US, T + 100 * US, 20 * US);
    private final Sighting routerOut = sighting("router", "eth1", "egress", T - 5_000 * US + 131 * US, T + 130 * US, 21 * US);
    private final Sighting server = sighting("server", "eth0", "ingress", T + 37_000 * US + 250 * US, T + 250 * US, 30 * US);

    @Test
    void shouldGiveLinkDelaysWithSummedBoundsAndForwardingTimes() {
        PathTiming.Result r = PathTiming.of(List.of(client, routerIn, routerOut, server));

        assertThat(r.hops()).extracting(PathTiming.Hop::inHost).containsExactly(false, true, false);
        assertThat(r.hops()).extracting(PathTiming.Hop::delayNs).containsExactly(100 * US, 30 * US, 120 * US);
        assertThat(r.hops()).extracting(PathTiming.Hop::errorNs).containsExactly(20 * US, 0L, 51 * US);
        assertThat(r.endToEndNs()).isEqualTo(250 * US);
        assertThat(r.endToEndErrorNs()).isEqualTo(30 * US);
        assertThat(r.hops().stream().mapToLong(PathTiming.Hop::delayNs).sum()).isEqualTo(r.endToEndNs());
        assertThat(r.aligned()).isTrue();
        assertThat(r.reference()).isEqualTo(Sightings.REFERENCE);
    }

    @Test
    void shouldLeaveLinksToAnUnalignedHostUnknownButStillTimeItsForwarding() {
        Sighting rIn = sighting("router", "eth0", "ingress", T + 5_100 * US, null, null);
        Sighting rOut = sighting("router", "eth1", "egress", T + 5_130 * US, null, null);

        PathTiming.Result r = PathTiming.of(List.of(client, rIn, rOut, server));

        assertThat(r.hops()).extracting(PathTiming.Hop::delayNs).containsExactly(null, 30 * US, null);
        assertThat(r.hops()).extracting(PathTiming.Hop::errorNs).containsExactly(null, 0L, null);
        assertThat(r.endToEndNs()).as("client and server are both aligned").isEqualTo(250 * US);
        assertThat(r.aligned()).isFalse();
        assertThat(r.reference()).isEqualTo(Sightings.REFERENCE);
    }

    @Test
    void shouldNotSubtractTimesOnDifferentReferences() {
        Sighting other = new Sighting("server", "eth0", "ingress", T + 250 * US, T + 250 * US, 30 * US, "elsewhere");

        PathTiming.Result r = PathTiming.of(List.of(client, other));

        assertThat(r.hops().get(0).delayNs()).isNull();
        assertThat(r.endToEndNs()).isNull();
        assertThat(r.aligned()).isFalse();
        assertThat(r.reference()).isNull();
    }

    @Test
    void shouldGiveUnknownRatherThanAWrappedDelayForGarbageTimes() {
        Sighting early = sighting("a", "eth0", "egress", Long.MIN_VALUE + 5, Long.MIN_VALUE + 5, 0L);
        Sighting late = sighting("b", "eth0", "ingress", Long.MAX_VALUE - 5, Long.MAX_VALUE - 5, Long.MAX_VALUE);

        PathTiming.Result r = PathTiming.of(List.of(early, late));

        assertThat(r.hops().get(0).delayNs()).isNull();
        assertThat(r.hops().get(0).errorNs()).isNull();
    }
}
