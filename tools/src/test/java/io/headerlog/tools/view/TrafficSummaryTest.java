package io.headerlog.tools.view;

import static io.headerlog.tools.view.ViewRecords.T0_NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headerlog.tools.view.ProtocolClass.IpVersion;
import io.headerlog.tools.view.SummarySnapshot.CollectorHealth;
import io.headerlog.tools.view.SummarySnapshot.HostDirectionRate;
import io.headerlog.tools.view.SummarySnapshot.HttpRequestLine;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficSummaryTest {
    private static final long START_MS = T0_NS / 1_000_000;

    @Test
    void shouldCountWirePacketsAsGsoSegmentsTimesSampleRate() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.tcpPacket("host-a", "egress", 4, 10, 5)); // 40 wire packets
        summary.add(ViewRecords.tcpPacket("host-a", "egress", 1, 1, 5));  // 1

        SummarySnapshot s = summary.snapshot(START_MS + 2000);

        assertThat(s.rates()).singleElement().satisfies(r -> {
            assertThat(r.host()).isEqualTo("host-a");
            assertThat(r.direction()).isEqualTo("egress");
            assertThat(r.totalRecords()).isEqualTo(2);
            assertThat(r.totalPackets()).isEqualTo(41);
            assertThat(r.recordsPerSecond()).isCloseTo(1.0, within(1e-9));
            assertThat(r.packetsPerSecond()).isCloseTo(20.5, within(1e-9));
        });
    }

    @Test
    void shouldTreatZeroGsoSegmentsAsOnePacket() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.tcpPacket("host-a", "egress", 0, 1, 5));

        assertThat(summary.snapshot(START_MS + 1000).rates().get(0).totalPackets()).isEqualTo(1);
    }

    @Test
    void shouldSeparateHostsAndDirectionsSortedAndResetRatesEachInterval() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.tcpPacket("host-b", "ingress", 1, 1, 5));
        summary.add(ViewRecords.tcpPacket("host-a", "ingress", 1, 1, 5));
        summary.add(ViewRecords.tcpPacket("host-a", "egress", 1, 1, 5));
        summary.add(ViewRecords.tcpPacket("host-a", "egress", 1, 1, 5));

        SummarySnapshot first = summary.snapshot(START_MS + 1000);
        assertThat(first.rates()).extracting(r -> r.host() + "/" + r.direction())
                .containsExactly("host-a/egress", "host-a/ingress", "host-b/ingress");
        assertThat(first.rates()).extracting(HostDirectionRate::recordsPerSecond).containsExactly(2.0, 1.0, 1.0);

        summary.add(ViewRecords.tcpPacket("host-b", "ingress", 1, 1, 5));
        SummarySnapshot second = summary.snapshot(START_MS + 1500);
        assertThat(second.intervalSeconds()).isEqualTo(0.5);
        assertThat(second.rates()).extracting(HostDirectionRate::recordsPerSecond).containsExactly(0.0, 0.0, 2.0);
        assertThat(second.rates()).extracting(HostDirectionRate::totalRecords).containsExactly(2L, 1L, 2L);
        assertThat(second.totalRecords()).isEqualTo(5);
    }

    @Test
    void shouldCountProtocolsPerIpVersion() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.tcpPacket("h", "egress", 2, 1, 1));
        summary.add(ViewRecords.enriched(ViewRecords.packet("h", "egress", T0_NS)
                .setIp(ViewRecords.ipv4(17)).setUdp(ViewRecords.udp()).build(), START_MS));
        summary.add(ViewRecords.enriched(ViewRecords.packet("h", "egress", T0_NS)
                .setIp(ViewRecords.ipv4(1)).setIcmp(ViewRecords.icmp()).build(), START_MS));
        summary.add(ViewRecords.enriched(ViewRecords.packet("h", "egress", T0_NS)
                .setIp(ViewRecords.ipv6(58)).setIcmp(ViewRecords.icmp()).build(), START_MS));
        summary.add(ViewRecords.enriched(ViewRecords.packet("h", "egress", T0_NS)
                .setIp(ViewRecords.ipv6(132)).build(), START_MS)); // SCTP
        summary.add(ViewRecords.enriched(ViewRecords.packet("h", "egress", T0_NS).build(), START_MS)); // ARP

        Map<IpVersion, Map<ProtocolClass, Long>> p = summary.snapshot(START_MS + 1000).protocolPackets();

        assertThat(p.get(IpVersion.IPV4)).containsOnly(
                Map.entry(ProtocolClass.TCP, 2L), Map.entry(ProtocolClass.UDP, 1L), Map.entry(ProtocolClass.ICMP, 1L));
        assertThat(p.get(IpVersion.IPV6)).containsOnly(
                Map.entry(ProtocolClass.ICMPV6, 1L), Map.entry(ProtocolClass.OTHER, 1L));
        assertThat(p.get(IpVersion.NON_IP)).containsOnly(Map.entry(ProtocolClass.OTHER, 1L));
    }

    @Test
    void shouldKeepOnlyTheNewestHttpRequestLinesAndIgnoreResponses() {
        TrafficSummary summary = new TrafficSummary(START_MS, 3);
        for (int i = 1; i <= 5; i++) {
            summary.add(ViewRecords.enriched(ViewRecords.packet("host-a", "egress", T0_NS + i)
                    .setIp(ViewRecords.ipv6(6)).setTcp(ViewRecords.tcp(40000 + i, 8080, "PSH,ACK"))
                    .setHttp(ViewRecords.request("GET", "/item/" + i)).build(), START_MS));
        }
        summary.add(ViewRecords.enriched(ViewRecords.packet("host-b", "egress", T0_NS + 9)
                .setIp(ViewRecords.ipv6(6)).setTcp(ViewRecords.tcp(8080, 40005, "PSH,ACK"))
                .setHttp(ViewRecords.response(200)).build(), START_MS));

        SummarySnapshot s = summary.snapshot(START_MS + 1000);

        assertThat(s.httpRequests()).extracting(HttpRequestLine::target).containsExactly("/item/3", "/item/4", "/item/5");
        HttpRequestLine newest = s.httpRequests().get(2);
        assertThat(newest.method()).isEqualTo("GET");
        assertThat(newest.version()).isEqualTo("HTTP/1.1");
        assertThat(newest.from()).isEqualTo("[fd00::1]:40005");
        assertThat(newest.to()).isEqualTo("[fd00::2]:8080");
        assertThat(newest.captureTimeNs()).isEqualTo(T0_NS + 5);
    }

    @Test
    void shouldKeepTheNewestStatsPerCollectorEvenIfOlderArriveLater() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.stats("host-b", T0_NS + 2_000_000_000L, 7, 1));
        summary.add(ViewRecords.stats("host-a", T0_NS + 2_000_000_000L, 3, 0));
        summary.add(ViewRecords.stats("host-a", T0_NS + 1_000_000_000L, 1, 0));

        assertThat(summary.snapshot(START_MS + 1000).collectors())
                .extracting(CollectorHealth::host, CollectorHealth::ringBufferFull, CollectorHealth::publishErrors)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("host-a", 3L, 0L),
                        org.assertj.core.groups.Tuple.tuple("host-b", 7L, 1L));
    }

    @Test
    void shouldReportLatencyOfTheIntervalOnly() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        for (long ms : new long[] {30, 10, 20, 400, 15}) {
            summary.add(ViewRecords.tcpPacket("h", "egress", 1, 1, ms));
        }
        SummarySnapshot first = summary.snapshot(START_MS + 1000);
        assertThat(first.latency().samples()).isEqualTo(5);
        assertThat(first.latency().p50Ms()).isEqualTo(20);
        assertThat(first.latency().maxMs()).isEqualTo(400);

        assertThat(summary.snapshot(START_MS + 2000).latency().samples()).isZero();
    }

    @Test
    void shouldTellWhetherAnythingArrivedSinceTheLastSnapshot() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        assertThat(summary.changedSinceSnapshot()).isFalse();
        summary.add(ViewRecords.stats("host-a", T0_NS, 0, 0));
        assertThat(summary.changedSinceSnapshot()).isTrue();
        summary.snapshot(START_MS + 1000);
        assertThat(summary.changedSinceSnapshot()).isFalse();
        summary.addUndecodable("x");
        assertThat(summary.changedSinceSnapshot()).isTrue();
    }

    @Test
    void shouldCountUndecodableRecordsWithTheLastReason() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.addUndecodable("first");
        summary.addUndecodable("unknown magic byte 7");

        SummarySnapshot s = summary.snapshot(START_MS + 1000);
        assertThat(s.undecodable()).isEqualTo(2);
        assertThat(s.lastUndecodable()).isEqualTo("unknown magic byte 7");
    }
}
