package io.headerlog.collector.bpf;

import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.testing.PacketBuilder;
import io.headerlog.testing.QuietRig;
import io.headerlog.testing.RawEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The kernel filters on a {@link QuietRig}: for each kind of rule, frames that must pass and frames
 * that must be dropped, with the counters checked exactly and every passing frame found in the ring
 * (each frame carries its number in the first payload bytes). Rules change while the program runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelFiltersIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MARK = 0x484c4621; // "HLF!"

    private QuietRig rig;
    private CaptureFilters filters;
    private int nextId = 1;

    /** A frame, and whether the rules in force must let it through. */
    private record Probe(String name, byte[] frame, int id, boolean passes) {
        @Override
        public String toString() {
            return "#" + id + " " + name + (passes ? " (passes)" : " (filtered)");
        }
    }

    @BeforeAll
    void start() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
        rig = QuietRig.start(new CaptureConfig(64, 1 << 22, 0));
        filters = rig.program().filters();
        rig.events();
    }

    @AfterEach
    void clearRules() {
        filters.clear();
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The frame's first 8 payload bytes: the mark and its number. */
    private byte[] marker(int id) {
        return ByteBuffer.allocate(24).putInt(MARK).putInt(id).array();
    }

    private Probe probe(String name, boolean passes, Function<PacketBuilder, PacketBuilder> build) {
        int id = nextId++;
        PacketBuilder b = build.apply(rig.frame());
        return new Probe(name, b.payload(marker(id)).build(), id, passes);
    }

    private Probe udp(String src, String dst, int sport, int dport, boolean passes) {
        return probe("udp " + src + ":" + sport + " > " + dst + ":" + dport, passes, b -> ipOf(b, src, dst).udp(sport, dport));
    }

    private Probe tcp(String src, String dst, int sport, int dport, boolean passes) {
        return probe("tcp " + src + ":" + sport + " > " + dst + ":" + dport, passes,
                b -> ipOf(b, src, dst).tcp(sport, dport).flags(TH_ACK));
    }

    private Probe icmp(String src, String dst, boolean passes) {
        return probe("icmp " + src + " > " + dst, passes, b -> ipOf(b, src, dst).echoRequest(7, 1));
    }

    private Probe nonIp(boolean passes) {
        return probe("non-IP 0x88b5", passes, b -> b.nonIp(0x88b5));
    }

    private static PacketBuilder ipOf(PacketBuilder b, String src, String dst) {
        return src.contains(":") ? b.ipv6(ip(src), ip(dst)) : b.ipv4(ip(src), ip(dst));
    }

    private static int idOf(RawEvent e) {
        ByteBuffer p = ByteBuffer.wrap(e.payload());
        return e.payload().length >= 8 && p.getInt(0) == MARK ? p.getInt(4) : -1;
    }

    /** Sends the probes and checks the counters and which of them reached the ring, exactly. */
    private void check(List<Probe> probes) {
        KernelCounters before = rig.settledCounters();
        probes.forEach(p -> rig.send(p.frame()));
        Set<Integer> expected = new TreeSet<>();
        Set<Integer> sent = new TreeSet<>();
        for (Probe p : probes) {
            sent.add(p.id());
            if (p.passes()) {
                expected.add(p.id());
            }
        }
        rig.events().await(e -> expected.contains(idOf(e)), expected.size(), WAIT);
        KernelCounters d = rig.settledCounters().minus(before);
        Set<Integer> got = new TreeSet<>();
        rig.events().matching(e -> sent.contains(idOf(e))).forEach(e -> got.add(idOf(e)));

        assertThat(got).as("frames that reached the ring, of %s", probes).isEqualTo(expected);
        assertThat(d.seen()).isEqualTo(probes.size());
        assertThat(d.filtered()).as("filtered, of %s", probes).isEqualTo(probes.size() - expected.size());
        assertThat(d.submitted()).isEqualTo(expected.size());
        assertThat(d.unaccounted()).isZero();
    }

    @Test
    void shouldDropIpv4PacketsFromOrToADeniedPrefix() {
        filters.denyCidr("198.18.5.0/24");
        check(List.of(
                udp("198.18.5.1", "198.18.1.1", 1000, 2000, false),
                udp("198.18.1.1", "198.18.5.200", 1000, 2000, false),
                udp("198.18.4.1", "198.18.6.1", 1000, 2000, true),
                icmp("198.18.1.1", "198.18.5.9", false),
                udp("fd00::1", "fd00::2", 1000, 2000, true),
                nonIp(true)));
    }

    @Test
    void shouldLetTheLongestPrefixDecideBetweenAllowAndDeny() {
        filters.allowCidr("198.18.0.0/15");
        filters.denyCidr("198.18.5.0/24");
        filters.allowCidr("198.18.5.128/25");
        check(List.of(
                udp("198.18.1.1", "198.19.2.2", 1, 2, true),
                udp("198.18.5.1", "198.18.1.1", 1, 2, false),
                udp("198.18.5.200", "198.18.1.1", 1, 2, true),
                // an allow list is in force: one allowed address is enough, none is not
                udp("198.20.0.1", "198.18.1.1", 1, 2, true),
                udp("198.20.0.1", "198.20.0.2", 1, 2, false),
                // one denied address drops it even though the other is allowed
                udp("198.18.5.3", "198.18.5.130", 1, 2, false),
                udp("fd00::1", "fd00::2", 1, 2, false),
                nonIp(false)));
    }

    @Test
    void shouldFilterIpv6PrefixesAndTreatIpv4AsOutsideThem() {
        filters.allowCidr("fd00::/8");
        filters.denyCidr("fd00:dead::/32");
        filters.allowCidr("fd00:dead:beef::/48");
        check(List.of(
                udp("fd00::1", "fd00::2", 1, 2, true),
                udp("fd00:dead::1", "fd00::2", 1, 2, false),
                udp("fd00:dead:beef::1", "fd00:1::2", 1, 2, true),
                udp("fe80::1", "fe80::2", 1, 2, false),
                tcp("198.18.0.1", "198.18.0.2", 1, 2, false)));
    }

    @Test
    void shouldDropPacketsWithADeniedPortEitherWay() {
        filters.denyPort(5353);
        check(List.of(
                udp("198.18.0.1", "198.18.0.2", 5353, 1000, false),
                udp("198.18.0.1", "198.18.0.2", 1000, 5353, false),
                tcp("fd00::1", "fd00::2", 1000, 5353, false),
                udp("198.18.0.1", "198.18.0.2", 1000, 5354, true),
                icmp("198.18.0.1", "198.18.0.2", true),
                nonIp(true)));
    }

    @Test
    void shouldKeepOnlyAllowedPortsAndNothingWithoutPortsWhenAPortAllowListIsInForce() {
        filters.allowPort(80);
        filters.allowPort(443);
        check(List.of(
                tcp("198.18.0.1", "198.18.0.2", 40000, 80, true),
                tcp("198.18.0.2", "198.18.0.1", 443, 40000, true),
                udp("fd00::1", "fd00::2", 443, 443, true),
                tcp("198.18.0.1", "198.18.0.2", 22, 23, false),
                icmp("198.18.0.1", "198.18.0.2", false),
                probe("non-first fragment", false, b -> b.ipv4(ip("198.18.0.1"), ip("198.18.0.2")).ipv4Fragment(10, false)
                        .rawL4(IPPROTO_TCP, new byte[0])),
                nonIp(false)));
    }

    @Test
    void shouldFilterByProtocolAfterIpv6ExtensionHeaders() {
        filters.denyProtocol(IPPROTO_ICMP);
        check(List.of(
                icmp("198.18.0.1", "198.18.0.2", false),
                icmp("fd00::1", "fd00::2", true),
                tcp("198.18.0.1", "198.18.0.2", 1, 2, true)));
        filters.clear();
        filters.allowProtocol(IPPROTO_TCP);
        check(List.of(
                tcp("198.18.0.1", "198.18.0.2", 1, 2, true),
                probe("tcp behind a hop-by-hop header", true, b -> b.ipv6(ip("fd00::1"), ip("fd00::2")).hopByHop()
                        .tcp(1, 2).flags(TH_ACK)),
                udp("198.18.0.1", "198.18.0.2", 1, 2, false),
                icmp("fd00::1", "fd00::2", false),
                nonIp(false)));
    }

    @Test
    void shouldPassNonIpFramesUnlessAnAllowListIsInForce() {
        filters.denyCidr("198.18.0.0/15");
        filters.denyPort(53);
        filters.denyProtocol(IPPROTO_UDP);
        check(List.of(nonIp(true), nonIp(true)));
        filters.allowProtocol(IPPROTO_TCP);
        check(List.of(nonIp(false)));
    }

    @Test
    void shouldApplyRuleChangesToTheNextPacketWithoutReloading() {
        int programId = rig.program().programId(Direction.INGRESS);
        List<Probe> first = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            first.add(udp("198.18.0.1", "198.18.0.2", 3000 + i % 5, 9000, true));
        }
        check(first);

        filters.denyPort(9000);
        List<Probe> second = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            second.add(udp("198.18.0.1", "198.18.0.2", 3000 + i % 5, 9000, false));
        }
        check(second);

        filters.replaceWith(new FilterRules(List.of("198.18.0.0/16"), List.of(), Set.of(), Set.of(9000), Set.of(), Set.of()));
        check(List.of(
                udp("198.18.0.1", "198.18.0.2", 3000, 9000, false),
                udp("198.18.0.1", "198.18.0.2", 3000, 9001, true),
                udp("198.19.0.1", "198.19.0.2", 3000, 9001, false)));

        filters.clear();
        List<Probe> third = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            third.add(udp("198.19.0.1", "198.18.0.2", 3000 + i % 5, 9000, true));
        }
        check(third);
        assertThat(rig.program().programId(Direction.INGRESS)).as("the same program, never reloaded").isEqualTo(programId);
    }

    @Test
    void shouldReportTheRulesInForce() {
        filters.replaceWith(new FilterRules(List.of("198.18.0.0/15", "fd00::/8"), List.of("198.18.5.1"), Set.of(80),
                Set.of(22), Set.of(IPPROTO_TCP), Set.of()));
        filters.denyPort(80);
        filters.removeCidr("fd00::/8");

        FilterRules r = filters.rules();
        assertThat(r.allowCidrs()).containsExactly("198.18.0.0/15");
        assertThat(r.denyCidrs()).containsExactly("198.18.5.1/32");
        assertThat(r.allowPorts()).isEmpty();
        assertThat(r.denyPorts()).containsExactlyInAnyOrder(22, 80);
        assertThat(r.allowProtocols()).containsExactly(IPPROTO_TCP);
        assertThat(filters.removePort(1234)).isFalse();
        assertThat(filters.removeProtocol(IPPROTO_TCP)).isTrue();
        check(List.of(udp("198.18.0.1", "198.18.0.2", 1, 2, true), udp("198.18.0.1", "198.18.0.2", 1, 22, false)));
    }

    @Test
    void shouldGiveFilteredPacketsNoFlowNoL7StateAndNoRecord() {
        filters.denyPort(80);
        KernelCounters before = rig.settledCounters();
        rig.program().flows().drainAll();
        rig.send(rig.frame().ipv4(ip("198.18.0.1"), ip("198.18.0.2")).tcp(1, 80).flags(TH_ACK | TH_PSH)
                .payload("GET / HTTP/1.1\r\n\r\n".getBytes()).build());
        KernelCounters d = rig.settledCounters().minus(before);

        assertThat(d.filtered()).isEqualTo(1);
        assertThat(d.l7Start()).isZero();
        assertThat(rig.program().flows().drainAll()).isEmpty();
    }

    @Test
    void shouldRefuseBadRulesWithAMessageThatSaysWhy() {
        assertThatThrownBy(() -> filters.allowCidr("198.18.0.1/15")).hasMessageContaining("did you mean 198.18.0.0/15?");
        assertThatThrownBy(() -> filters.denyPort(70000)).hasMessageContaining("port 70000 is out of range 0..65535");
        assertThatThrownBy(() -> filters.allowProtocol(256)).hasMessageContaining("protocol 256 is out of range 0..255");
        assertThat(filters.rules().isEmpty()).isTrue();
    }
}
