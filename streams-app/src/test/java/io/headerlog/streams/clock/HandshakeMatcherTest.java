package io.headerlog.streams.clock;

import static io.headerlog.streams.clock.SimNetwork.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandshakeMatcherTest {
    private static final long T = SimClock.T0;
    private static final int SYN = Observation.SYN;
    private static final int SYN_ACK = Observation.SYN | Observation.ACK;
    private static final long SYN_HASH = 0x1111L;
    private static final long SYN_ACK_HASH = 0x2222L;

    /** SYN leaves a at T+0, reaches b at T+1000+50_000 (b's clock +1000), SYN-ACK back. */
    private static List<Observation> handshakeAtoB(String flow) {
        return List.of(
                tcp("a", true, T, SYN_HASH, flow, SYN),
                tcp("b", false, T + 51_000, SYN_HASH, flow, SYN),
                tcp("b", true, T + 71_000, SYN_ACK_HASH, flow, SYN_ACK),
                tcp("a", false, T + 120_000, SYN_ACK_HASH, flow, SYN_ACK));
    }

    private static List<ClockSample> offerAll(HandshakeMatcher matcher, List<Observation> observations) {
        List<ClockSample> out = new ArrayList<>();
        for (Observation o : observations) {
            out.addAll(matcher.offer(o));
        }
        return out;
    }

    @Test
    void shouldPairASynAndItsSynAckSeenAtBothEndsIntoOneSample() {
        HandshakeMatcher matcher = new HandshakeMatcher();

        List<ClockSample> samples = offerAll(matcher, handshakeAtoB("1:f"));

        assertThat(samples).containsExactly(new ClockSample("a", "b", T, T + 51_000, T + 71_000, T + 120_000));
        assertThat(samples.get(0).offsetNs()).isEqualTo(1_000);
        assertThat(matcher.stats().samples()).isEqualTo(1);
        assertThat(matcher.stats().observations()).isEqualTo(4);
    }

    @Test
    void shouldProduceTheSameSampleWhateverOrderTheSightingsArriveIn() {
        List<Observation> sightings = handshakeAtoB("1:f");
        List<List<Observation>> orders = new ArrayList<>();
        permutations(new ArrayList<>(sightings), 0, orders);
        assertThat(orders).hasSize(24);

        for (List<Observation> order : orders) {
            HandshakeMatcher matcher = new HandshakeMatcher();
            assertThat(offerAll(matcher, order)).as("order %s", order)
                    .containsExactly(new ClockSample("a", "b", T, T + 51_000, T + 71_000, T + 120_000));
        }
    }

    private static void permutations(List<Observation> items, int k, List<List<Observation>> out) {
        if (k == items.size()) {
            out.add(List.copyOf(items));
            return;
        }
        for (int i = k; i < items.size(); i++) {
            Collections.swap(items, k, i);
            permutations(items, k + 1, out);
            Collections.swap(items, k, i);
        }
    }

    @Test
    void shouldSampleEveryRequesterResponderPairAlongAForwardedPath() {
        // a -> b (router) -> c; every host's clock reads true time here.
        List<Observation> sightings = List.of(
                tcp("a", true, T, SYN_HASH, "1:f", SYN),
                tcp("b", false, T + 50_000, SYN_HASH, "1:f", SYN),
                tcp("b", true, T + 55_000, SYN_HASH, "1:f", SYN),
                tcp("c", false, T + 105_000, SYN_HASH, "1:f", SYN),
                tcp("c", true, T + 125_000, SYN_ACK_HASH, "1:f", SYN_ACK),
                tcp("b", false, T + 175_000, SYN_ACK_HASH, "1:f", SYN_ACK),
                tcp("b", true, T + 180_000, SYN_ACK_HASH, "1:f", SYN_ACK),
                tcp("a", false, T + 230_000, SYN_ACK_HASH, "1:f", SYN_ACK));
        HandshakeMatcher matcher = new HandshakeMatcher();

        List<ClockSample> samples = offerAll(matcher, sightings);

        assertThat(samples).containsExactlyInAnyOrder(
                new ClockSample("a", "b", T, T + 50_000, T + 180_000, T + 230_000),
                new ClockSample("a", "c", T, T + 105_000, T + 125_000, T + 230_000),
                new ClockSample("b", "c", T + 55_000, T + 105_000, T + 125_000, T + 175_000));
        assertThat(samples).allSatisfy(s -> assertThat(s.offsetNs()).isZero());
        assertThat(matcher.stats().inconsistent()).isZero();
    }

    @Test
    void shouldMakeNoSampleFromAHandshakeSeenOnlyByOneHost() {
        // Loopback: the host sees each packet leave and arrive.
        HandshakeMatcher matcher = new HandshakeMatcher();
        List<ClockSample> samples = offerAll(matcher, List.of(
                tcp("a", true, T, SYN_HASH, "1:f", SYN),
                tcp("a", false, T + 10, SYN_HASH, "1:f", SYN),
                tcp("a", true, T + 30, SYN_ACK_HASH, "1:f", SYN_ACK),
                tcp("a", false, T + 40, SYN_ACK_HASH, "1:f", SYN_ACK)));

        assertThat(samples).isEmpty();
    }

    @Test
    void shouldNotPairSightingsOfDifferentPackets() {
        HandshakeMatcher matcher = new HandshakeMatcher();
        List<ClockSample> samples = offerAll(matcher, List.of(
                tcp("a", true, T, SYN_HASH, "1:f", SYN),
                tcp("b", false, T + 51_000, SYN_HASH + 1, "1:f", SYN),
                tcp("b", true, T + 71_000, SYN_ACK_HASH, "1:f", SYN_ACK),
                tcp("a", false, T + 120_000, SYN_ACK_HASH, "1:f", SYN_ACK)));

        assertThat(samples).isEmpty();
    }

    @Test
    void shouldGiveUpAHandshakeWhoseSynWasRetransmitted() {
        HandshakeMatcher matcher = new HandshakeMatcher();
        List<Observation> sightings = new ArrayList<>(handshakeAtoB("1:f"));
        // The same SYN (no TCP timestamps: same hash) again one second later.
        sightings.add(1, tcp("a", true, T + 1_000_000_000L, SYN_HASH, "1:f", SYN));

        assertThat(offerAll(matcher, sightings)).isEmpty();
        assertThat(matcher.stats().ambiguous()).isEqualTo(1);
    }

    @Test
    void shouldMergeOnePacketSeenOnStackedDevicesKeepingTheSightingNearestTheWire() {
        HandshakeMatcher matcher = new HandshakeMatcher();
        List<ClockSample> samples = offerAll(matcher, List.of(
                tcp("a", true, T - 2_000, SYN_HASH, "1:f", SYN),          // vlan device
                tcp("a", true, T, SYN_HASH, "1:f", SYN),                  // physical port: later, kept
                tcp("b", false, T + 54_000, SYN_HASH, "1:f", SYN),        // bridge
                tcp("b", false, T + 51_000, SYN_HASH, "1:f", SYN),        // its port: earlier, kept
                tcp("b", true, T + 71_000, SYN_ACK_HASH, "1:f", SYN_ACK),
                tcp("a", false, T + 120_000, SYN_ACK_HASH, "1:f", SYN_ACK)));

        assertThat(samples).containsExactly(new ClockSample("a", "b", T, T + 51_000, T + 71_000, T + 120_000));
        assertThat(matcher.stats().ambiguous()).isZero();
    }

    @Test
    void shouldCountANonCausalPairingInsteadOfThrowing() {
        HandshakeMatcher matcher = new HandshakeMatcher();
        // b held the SYN for 200 us, but a saw a 120 us round trip.
        List<ClockSample> samples = offerAll(matcher, List.of(
                tcp("a", true, T, SYN_HASH, "1:f", SYN),
                tcp("b", false, T + 1_000, SYN_HASH, "1:f", SYN),
                tcp("b", true, T + 201_000, SYN_ACK_HASH, "1:f", SYN_ACK),
                tcp("a", false, T + 120_000, SYN_ACK_HASH, "1:f", SYN_ACK)));

        assertThat(samples).isEmpty();
        assertThat(matcher.stats().inconsistent()).isEqualTo(1);
    }

    @Test
    void shouldExpireAnExchangeTenSecondsAfterItWasFirstReportedOnItsReportersClock() {
        HandshakeMatcher matcher = new HandshakeMatcher();
        List<Observation> late = handshakeAtoB("1:late");
        matcher.offer(late.get(0));
        // a moves on: another flow's SYN 11 s later on a's clock.
        matcher.offer(tcp("a", true, T + 11_000_000_000L, 9, "1:other", SYN));

        assertThat(matcher.stats().expired()).isEqualTo(1);
        assertThat(matcher.stats().unmatched()).isEqualTo(1);
        assertThat(offerAll(matcher, late.subList(1, 4))).isEmpty();
        assertThat(matcher.inFlight()).isEqualTo(2);
    }

    @Test
    void shouldMeasureExpiryOnEachHostsOwnClock() {
        HandshakeMatcher matcher = new HandshakeMatcher();
        long thirtySeconds = 30_000_000_000L;
        List<Observation> handshake = handshakeAtoB("1:f");
        matcher.offer(handshake.get(0));
        // b's clock is 30 s ahead: its sightings must not age a's exchange.
        matcher.offer(tcp("b", true, T + thirtySeconds, 7, "1:other", SYN));
        List<ClockSample> samples = new ArrayList<>();
        for (Observation o : handshake.subList(1, 4)) {
            Observation shifted = o.host().equals("b")
                    ? new Observation("b", o.egress(), o.timeNs() + thirtySeconds, o.packetHash(), o.flowKey(), o.role(),
                            o.exchange())
                    : o;
            samples.addAll(matcher.offer(shifted));
        }

        assertThat(matcher.stats().expired()).isZero();
        assertThat(samples).singleElement().satisfies(s -> assertThat(s.offsetNs()).isEqualTo(thirtySeconds + 1_000));
    }

    @Test
    void shouldStayWithinItsMemoryBoundUnderASynFlood() {
        HandshakeMatcher matcher = new HandshakeMatcher(MatcherConfig.DEFAULTS.withMaxExchanges(1_000));
        for (int i = 0; i < 100_000; i++) {
            matcher.offer(tcp("a", true, T + i * 1_000L, i, "1:flood-" + i, SYN));
            assertThat(matcher.inFlight()).isLessThanOrEqualTo(1_000);
            assertThat(matcher.queuedExpiries()).isLessThanOrEqualTo(2 * 1_000 + 64 + 1);
        }

        MatcherStats stats = matcher.stats();
        assertThat(stats.evicted()).isEqualTo(99_000);
        assertThat(stats.unmatched()).isEqualTo(99_000);
        assertThat(stats.inFlight()).isEqualTo(1_000);
        // The newest exchanges are the ones kept: a handshake completing now still matches.
        List<ClockSample> samples = offerAll(matcher, List.of(
                tcp("b", false, T + 99_999_000L + 50_000, 99_999, "1:flood-99999", SYN),
                tcp("b", true, T + 99_999_000L + 70_000, 5, "1:flood-99999", SYN_ACK),
                tcp("a", false, T + 99_999_000L + 120_000, 5, "1:flood-99999", SYN_ACK)));
        assertThat(samples).hasSize(1);
    }

    @Test
    void shouldForgetExpiredExchangesWhenEveryHostKeepsSending() {
        HandshakeMatcher matcher = new HandshakeMatcher(MatcherConfig.DEFAULTS.withExpiry(Duration.ofMillis(100)));
        for (int i = 0; i < 10_000; i++) {
            matcher.offer(tcp(i % 2 == 0 ? "a" : "b", true, T + i * 1_000_000L, i, "1:f" + i, SYN));
        }
        // 100 ms of each host's time at 2 ms per sighting of that host: about 50 each.
        assertThat(matcher.inFlight()).isBetween(90, 110);
        assertThat(matcher.stats().expired()).isEqualTo(10_000 - matcher.inFlight());
    }

    @Test
    void shouldMatchEveryHandshakeWhenSightingsOfManyFlowsInterleave() {
        SimNetwork net = new SimNetwork(11);
        SimClock a = SimClock.reference("a");
        SimClock b = new SimClock("b", 37_000_000, 20);
        List<Observation> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            all.addAll(net.handshakeObservations(i % 3 == 0 ? b : a, i % 3 == 0 ? a : b, T + i * 1_000_000L));
        }
        // Collectors publish with lags: shuffle within blocks of 40 sightings (10 handshakes).
        Random random = new Random(3);
        for (int from = 0; from < all.size(); from += 40) {
            Collections.shuffle(all.subList(from, Math.min(all.size(), from + 40)), random);
        }
        HandshakeMatcher matcher = new HandshakeMatcher();

        List<ClockSample> samples = offerAll(matcher, all);

        assertThat(samples).hasSize(2_000);
        assertThat(samples).allSatisfy(s -> {
            double bMinusA = s.hostA().equals("a") ? s.offsetNs() : -s.offsetNs();
            assertThat(Math.abs(bMinusA - b.offsetAt(s.hostA().equals("a") ? s.midpointANs() : s.midpointBNs())))
                    .isLessThanOrEqualTo(s.delayNs() / 2.0 + 1);
        });
        assertThat(matcher.stats().inconsistent()).isZero();
        assertThat(matcher.stats().ambiguous()).isZero();
    }
}
