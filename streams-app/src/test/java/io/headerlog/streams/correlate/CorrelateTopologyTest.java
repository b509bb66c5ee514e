package io.headerlog.streams.correlate;

import static io.headerlog.streams.correlate.Sightings.FLOW;
import static io.headerlog.streams.correlate.Sightings.MS;
import static io.headerlog.streams.correlate.Sightings.S;
import static io.headerlog.streams.correlate.Sightings.START_NS;
import static io.headerlog.streams.correlate.Sightings.US;
import static io.headerlog.streams.correlate.Sightings.aligned;
import static io.headerlog.streams.correlate.Sightings.atReference;
import static io.headerlog.streams.correlate.Sightings.unaligned;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.CorrelatedPacket;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHop;
import io.headerlog.schema.PacketObservation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The correlation branch in a topology: one SYN from client to server through a router, each host
 * with its own clock (client = reference; router 5 ms behind, server 37 ms ahead), true one-way
 * delays of 100 µs and 120 µs and 30 µs of forwarding at the router.
 */
class CorrelateTopologyTest {
    private static final long T = START_NS;
    private static final long HASH = 0x5eed_0001L;
    private static final long ROUTER_ERROR = 20 * US;
    private static final long SERVER_ERROR = 30 * US;
    private static final CorrelationConfig CONFIG = CorrelationConfig.DEFAULTS; // window 2 s, grace 1 s

    @TempDir
    Path stateDir;

    private CorrelationDriver driver;

    private CorrelationDriver start(CorrelationConfig config) {
        driver = new CorrelationDriver(config, stateDir);
        return driver;
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    // The packet's four sightings. Aligned times are off the truth by a few µs, within their bounds.
    private static EnrichedHeader clientOut(long hash) {
        return atReference("client", "eth0", "egress", T, FLOW, hash);
    }

    private static EnrichedHeader routerIn(long hash) {
        return aligned("router", "eth0", "ingress", T - 5 * MS + 100 * US, T + 100 * US + 7 * US, ROUTER_ERROR, FLOW, hash);
    }

    private static EnrichedHeader routerOut(long hash) {
        return aligned("router", "eth1", "egress", T - 5 * MS + 130 * US, T + 130 * US + 7 * US, ROUTER_ERROR, FLOW, hash);
    }

    private static EnrichedHeader serverIn(long hash) {
        return aligned("server", "eth0", "ingress", T + 37 * MS + 250 * US, T + 250 * US - 11 * US, SERVER_ERROR, FLOW,
                hash);
    }

    private void assertBalanced(CorrelationCounters c) {
        assertThat(c.observations()).as("every observation ends in one bucket: " + c)
                .isEqualTo(c.observationsMatched() + c.observationsSingleHost() + c.observationsAmbiguous() + c.late()
                        + c.openObservations());
    }

    @Test
    void shouldFollowAPacketThroughARouterWithHopsThatAddUpToTheEndToEndDelay() {
        start(CONFIG);
        driver.pipe(clientOut(HASH));
        driver.pipe(routerIn(HASH));
        driver.pipe(routerOut(HASH));
        driver.pipe(serverIn(HASH), T / MS + 55);

        driver.advanceEventTime(T + 3 * S - 1);
        assertThat(driver.read()).as("window + grace not over yet").isEmpty();
        driver.advanceEventTime(T + 3 * S);

        List<TestRecord<String, CorrelatedPacket>> out = driver.readRecords();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(FLOW);
        assertThat(out.get(0).timestamp()).as("the newest input timestamp of the packet").isEqualTo(T / MS + 55);
        CorrelatedPacket p = out.get(0).value();
        assertThat(p.getPacketHash()).isEqualTo(HASH);
        assertThat(p.getSrc()).isEqualTo("198.18.0.1");
        assertThat(p.getDst()).isEqualTo("198.18.0.2");
        assertThat(p.getProtocol()).isEqualTo(6);
        assertThat(p.getSrcPort()).isEqualTo(40000);
        assertThat(p.getDstPort()).isEqualTo(80);
        assertThat(p.getSampleRate()).isEqualTo(4);
        assertThat(p.getHostCount()).isEqualTo(3);
        assertThat(p.getAligned()).isTrue();
        assertThat(p.getClockReference()).isEqualTo("client");
        assertThat(p.getClosedBy()).isEqualTo("window");
        assertThat(p.getWindowStartNs()).isEqualTo(T);
        assertThat(p.getObservations()).extracting(o -> o.getHost() + "/" + o.getIfName() + "/" + o.getDirection())
                .containsExactly("client/eth0/egress", "router/eth0/ingress", "router/eth1/egress", "server/eth0/ingress");
        assertThat(p.getHops()).extracting(PacketHop::getKind).containsExactly("link", "in-host", "link");
        assertThat(p.getHops()).extracting(PacketHop::getFromHost).containsExactly("client", "router", "router");
        assertThat(p.getHops()).extracting(PacketHop::getToHost).containsExactly("router", "router", "server");
        assertThat(p.getHops()).extracting(PacketHop::getErrorNs)
                .containsExactly(ROUTER_ERROR, 0L, ROUTER_ERROR + SERVER_ERROR);

        long sum = 0;
        long[] trueDelays = {100 * US, 30 * US, 120 * US};
        for (int i = 0; i < 3; i++) {
            PacketHop hop = p.getHops().get(i);
            assertThat(hop.getFromIndex()).isEqualTo(i);
            assertThat(hop.getToIndex()).isEqualTo(i + 1);
            assertThat(hop.getDelayNs()).isNotNegative();
            assertThat(Math.abs(hop.getDelayNs() - trueDelays[i])).as("hop %d within its bound", i)
                    .isLessThanOrEqualTo(hop.getErrorNs());
            sum += hop.getDelayNs();
        }
        assertThat(sum).isEqualTo(p.getEndToEndDelayNs());
        assertThat(p.getEndToEndErrorNs()).isEqualTo(SERVER_ERROR);
        assertThat(Math.abs(p.getEndToEndDelayNs() - 250 * US)).isLessThanOrEqualTo(p.getEndToEndErrorNs());

        CorrelationCounters c = driver.counters;
        assertThat(c.packetsCorrelated()).isEqualTo(1);
        assertThat(c.observationsMatched()).isEqualTo(4);
        assertThat(c.matchRate()).isEqualTo(1.0);
        assertBalanced(c);
    }

    @Test
    void shouldCollectSightingsArrivingOutOfOrderWithinTheGrace() {
        start(CONFIG);
        // The server's collector publishes first, the client's last — after event time passed the
        // window's end (T + 2 s) but not its grace (T + 3 s).
        driver.pipe(serverIn(HASH));
        driver.pipe(routerOut(HASH));
        driver.pipe(routerIn(HASH));
        driver.advanceEventTime(T + 2 * S + 500 * MS);
        driver.pipe(clientOut(HASH), T / MS + 2_600);
        assertThat(driver.read()).isEmpty();

        driver.advanceEventTime(T + 3 * S);

        List<KeyValue<String, CorrelatedPacket>> out = driver.read();
        assertThat(out).hasSize(1);
        CorrelatedPacket p = out.get(0).value;
        assertThat(p.getObservations()).extracting(PacketObservation::getHost)
                .containsExactly("client", "router", "router", "server");
        assertThat(p.getHops()).allSatisfy(h -> assertThat(h.getDelayNs()).isNotNegative());
        assertThat(p.getWindowStartNs()).as("the late-arriving but earliest sighting opened the window").isEqualTo(T);
        assertThat(driver.counters.late()).isZero();
        assertBalanced(driver.counters);
    }

    @Test
    void shouldCountSightingsAfterWindowAndGraceAsLateAndEmitNothingForThem() {
        start(CONFIG);
        driver.pipe(clientOut(HASH));
        driver.pipe(serverIn(HASH));
        driver.advanceEventTime(T + 3 * S);
        assertThat(driver.read()).hasSize(1);

        // The router's collector was 3 s behind: its packet has been emitted already.
        driver.pipe(routerIn(HASH), T / MS + 3_100);
        // A new packet whose own window would be over on arrival.
        driver.pipe(clientOut(HASH + 1), T / MS + 3_100);
        driver.advanceEventTime(T + 10 * S);

        assertThat(driver.read()).as("no partial or second record for a late sighting").isEmpty();
        CorrelationCounters c = driver.counters;
        assertThat(c.late()).isEqualTo(2);
        assertThat(c.packetsCorrelated()).isEqualTo(1);
        assertBalanced(c);
    }

    @Test
    void shouldEmitNothingForAPacketSeenAtOneHostButCountIt() {
        start(CONFIG.withIdleFlush(Duration.ofSeconds(5)));
        // In flow A both ends report: packet 1 is matched, packet 2 reached only the client's
        // collector — it should have matched.
        driver.pipe(clientOut(HASH));
        driver.pipe(serverIn(HASH));
        driver.pipe(atReference("client", "eth0", "egress", T + MS, FLOW, HASH + 2));
        // Flow B leaves the observed network: seen at the client only, it could not have matched.
        driver.pipe(atReference("client", "eth0", "egress", T + 2 * MS, "1:flow-b", HASH + 3));

        // No more traffic: two wall-clock ticks without event-time progress close everything.
        driver.advanceWallClock(Duration.ofSeconds(5));
        assertThat(driver.read()).isEmpty();
        driver.advanceWallClock(Duration.ofSeconds(5));

        List<KeyValue<String, CorrelatedPacket>> out = driver.read();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value.getPacketHash()).isEqualTo(HASH);
        assertThat(out.get(0).value.getClosedBy()).isEqualTo("idle");
        CorrelationCounters c = driver.counters;
        assertThat(c.packetsSingleHost()).isEqualTo(2);
        assertThat(c.observationsSingleHost()).isEqualTo(2);
        assertThat(c.observationsSingleHostInSharedFlow()).isEqualTo(1);
        assertThat(c.matchRate()).as("2 matched of the 3 that could have").isEqualTo(2.0 / 3);
        assertThat(c.matchedShare()).isEqualTo(2.0 / 4);
        assertThat(c.openPackets()).isZero();
        assertBalanced(c);
    }

    @Test
    void shouldBoundOpenPacketsByEvictingTheOldest() {
        start(CONFIG.withMaxOpenPackets(2));
        for (int i = 0; i < 3; i++) {
            driver.pipe(atReference("client", "eth0", "egress", T + i * MS, FLOW, HASH + i));
            driver.pipe(aligned("server", "eth0", "ingress", T + i * MS + 37 * MS, T + i * MS + 200 * US,
                    SERVER_ERROR, FLOW, HASH + i));
        }

        List<KeyValue<String, CorrelatedPacket>> out = driver.read();
        assertThat(out).as("opening the third closed the first, which had both sightings").hasSize(1);
        assertThat(out.get(0).value.getPacketHash()).isEqualTo(HASH);
        assertThat(out.get(0).value.getClosedBy()).isEqualTo("evicted");
        CorrelationCounters c = driver.counters;
        assertThat(c.packetsEvicted()).isEqualTo(1);
        assertThat(c.openPackets()).isEqualTo(2);

        driver.advanceEventTime(T + 4 * S); // the ticker's packet evicts one more on its way in
        assertThat(driver.read()).hasSize(2);
        assertThat(c.packetsEvicted()).isEqualTo(2);
        assertThat(c.openPackets()).isLessThanOrEqualTo(2);
        assertBalanced(c);
    }

    @Test
    void shouldKeepUnalignedSightingsButGiveTheirLinksNoDelay() {
        start(CONFIG);
        driver.pipe(clientOut(HASH));
        driver.pipe(unaligned("router", "eth0", "ingress", T - 5 * MS + 100 * US, FLOW, HASH));
        driver.pipe(unaligned("router", "eth1", "egress", T - 5 * MS + 130 * US, FLOW, HASH));
        driver.pipe(serverIn(HASH));
        driver.advanceEventTime(T + 3 * S);

        CorrelatedPacket p = driver.read().get(0).value;
        // The router's own clock is 5 ms behind, so its capture times would put it first; the path
        // order (a packet leaves a host before it reaches the next) puts it in place. Its links still
        // get no delay: their two ends are on different clocks.
        assertThat(p.getObservations()).extracting(PacketObservation::getHost)
                .containsExactly("client", "router", "router", "server");
        assertThat(p.getAligned()).isFalse();
        assertThat(p.getHops()).extracting(PacketHop::getDelayNs).containsExactly(null, 30 * US, null);
        assertThat(p.getHops().get(1).getKind()).isEqualTo("in-host");
    }

    @Test
    void shouldSkipCopiesAndUnlabelledRecords() {
        start(CONFIG);
        EnrichedHeader copy = clientOut(HASH);
        copy.getHeader().setAppMessageIndex(1);
        EnrichedHeader unlabelled = serverIn(HASH);
        unlabelled.getHeader().setPacketHash(null);
        driver.pipe(copy);
        driver.pipe(unlabelled);
        driver.advanceEventTime(T + 10 * S);

        assertThat(driver.read()).isEmpty();
        CorrelationCounters c = driver.counters;
        assertThat(c.skippedCopies()).isEqualTo(1);
        assertThat(c.skippedUnlabelled()).isEqualTo(1);
        assertThat(c.observations()).as("only the ticker").isEqualTo(1);
    }

    @Test
    void shouldNotPairSightingsOfALabelThatCrossedTwiceAtOnce() {
        start(CONFIG);
        // An IPv6 duplicate ACK: same label, 300 ms apart, at both ends.
        driver.pipe(clientOut(HASH));
        driver.pipe(serverIn(HASH));
        driver.pipe(atReference("client", "eth0", "egress", T + 300 * MS, FLOW, HASH));
        driver.pipe(aligned("server", "eth0", "ingress", T + 337 * MS, T + 300 * MS + 200 * US, SERVER_ERROR, FLOW, HASH));
        driver.advanceEventTime(T + 4 * S);

        assertThat(driver.read()).isEmpty();
        assertThat(driver.counters.packetsAmbiguous()).isEqualTo(1);
        assertThat(driver.counters.observationsAmbiguous()).isEqualTo(4);
        assertBalanced(driver.counters);
    }

    @Test
    void shouldStartAnotherPacketForTheSameLabelFartherApartThanTheWindow() {
        start(CONFIG);
        driver.pipe(clientOut(HASH));
        driver.pipe(serverIn(HASH));
        // The same label 2.5 s later (a retransmission): the first crossing is complete, close it now.
        driver.pipe(atReference("client", "eth0", "egress", T + 2_500 * MS, FLOW, HASH));

        List<KeyValue<String, CorrelatedPacket>> out = driver.read();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value.getClosedBy()).isEqualTo("superseded");
        assertThat(out.get(0).value.getWindowStartNs()).isEqualTo(T);
        assertThat(driver.counters.openPackets()).isEqualTo(1);
        assertBalanced(driver.counters);
    }

    @Test
    void shouldNameEverythingAndRepartitionNothing() {
        start(CONFIG);
        String description = driver.topology.describe().toString();

        assertThat(driver.topology.describe().subtopologies()).hasSize(1);
        assertThat(description).contains(PacketCorrelation.PROCESSOR_NAME, PacketCorrelation.STORE_NAME,
                PacketCorrelation.SINK_NAME).doesNotContain("repartition");
    }
}
