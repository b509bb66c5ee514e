package io.headerlog.tools.view;

import static io.headerlog.tools.view.ViewRecords.T0_NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.Http;
import io.headerlog.tools.view.ProtocolClass.IpVersion;
import io.headerlog.tools.view.SummarySnapshot.CollectorHealth;
import io.headerlog.tools.view.SummarySnapshot.HostClockLine;
import io.headerlog.tools.view.SummarySnapshot.HostDirectionRate;
import io.headerlog.tools.view.SummarySnapshot.AppMessageLine;
import java.util.List;
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
    void shouldKeepOnlyTheNewestMessageLinesOfEveryKindWithTheirEndpoints() {
        TrafficSummary summary = new TrafficSummary(START_MS, 3);
        for (int i = 1; i <= 5; i++) {
            summary.add(ViewRecords.enriched(ViewRecords.packet("host-a", "egress", T0_NS + i)
                    .setIp(ViewRecords.ipv6(6)).setTcp(ViewRecords.tcp(40000 + i, 8080, "PSH,ACK"))
                    .setHttp(ViewRecords.request("GET", "/item/" + i)).build(), START_MS));
        }
        summary.add(ViewRecords.enriched(ViewRecords.packet("host-b", "ingress", T0_NS + 9)
                .setIp(ViewRecords.ipv6(6)).setTcp(ViewRecords.tcp(8080, 40005, "PSH,ACK"))
                .setHttp(ViewRecords.response(200)).build(), START_MS));

        SummarySnapshot s = summary.snapshot(START_MS + 1000);

        assertThat(s.messages()).extracting(AppMessageLine::text)
                .containsExactly("GET /item/4 HTTP/1.1", "GET /item/5 HTTP/1.1", "HTTP/1.1 200 OK");
        AppMessageLine request = s.messages().get(1);
        assertThat(request.kind()).isEqualTo(MessageKind.HTTP_REQUEST);
        assertThat(request.host()).isEqualTo("host-a");
        assertThat(request.direction()).isEqualTo("egress");
        assertThat(request.from()).isEqualTo("[fd00::1]:40005");
        assertThat(request.to()).isEqualTo("[fd00::2]:8080");
        assertThat(request.captureTimeNs()).isEqualTo(T0_NS + 5);
        assertThat(s.messages().get(2).kind()).isEqualTo(MessageKind.HTTP_RESPONSE);
        assertThat(s.messages().get(2).host()).isEqualTo("host-b");
    }

    @Test
    void shouldShowDnsAndTlsLinesWithUdpAndTcpPorts() {
        TrafficSummary summary = new TrafficSummary(START_MS, 12);
        summary.add(ViewRecords.enriched(ViewRecords.packet("host-a", "egress", T0_NS)
                .setIp(ViewRecords.ipv4(17)).setUdp(ViewRecords.udp(41000, 53))
                .setDns(ViewRecords.dnsQuery(4242, "www.demo.hl", "A").build()).build(), START_MS));
        summary.add(ViewRecords.enriched(ViewRecords.packet("host-a", "egress", T0_NS + 1)
                .setIp(ViewRecords.ipv4(6)).setTcp(ViewRecords.tcp(42000, 443, "PSH,ACK"))
                .setTls(ViewRecords.clientHello("svc.demo.hl", List.of("h2"), List.of(0x0304)).build()).build(),
                START_MS));

        SummarySnapshot s = summary.snapshot(START_MS + 1000);

        assertThat(s.messages()).extracting(m -> m.kind() + " " + m.from() + " -> " + m.to() + " " + m.text())
                .containsExactly(
                        "DNS_QUERY 198.18.0.1:41000 -> 198.18.0.2:53 DNS query www.demo.hl A (id 4242)",
                        "TLS_CLIENT_HELLO 198.18.0.1:42000 -> 198.18.0.2:443 TLS ClientHello sni=svc.demo.hl "
                                + "alpn=h2 versions=1.3");
    }

    @Test
    void shouldShowAMessageOfANonIpRecordWithUnknownEndpoints() {
        TrafficSummary summary = new TrafficSummary(START_MS, 12);
        summary.add(ViewRecords.enriched(ViewRecords.packet("h", "egress", T0_NS)
                .setHttp(ViewRecords.request("GET", "/")).build(), START_MS));

        assertThat(summary.snapshot(START_MS + 1000).messages()).singleElement()
                .satisfies(m -> assertThat(m.from() + " -> " + m.to()).isEqualTo("? -> ?"));
    }

    @Test
    void shouldCountMessagesPerKindSinceStartWhetherOrNotTheirLinesAreKept() {
        TrafficSummary summary = new TrafficSummary(START_MS, 0);
        summary.add(httpOn("h", ViewRecords.request("GET", "/a"), 0));
        summary.add(httpOn("h", ViewRecords.request("GET", "/b"), 0));
        summary.add(httpOn("h", ViewRecords.response(200), 0));
        summary.add(ViewRecords.enriched(ViewRecords.packet("h", "ingress", T0_NS).setIp(ViewRecords.ipv4(17))
                .setUdp(ViewRecords.udp(53, 41000))
                .setDns(ViewRecords.dnsResponse(1, "demo.hl", "A", 3, List.of()).build()).build(), START_MS));
        summary.add(ViewRecords.enriched(ViewRecords.packet("h", "ingress", T0_NS).setIp(ViewRecords.ipv4(6))
                .setTcp(ViewRecords.tcp(443, 42000, "ACK"))
                .setTls(ViewRecords.serverHello(0x0304, 0x1301).build()).build(), START_MS));

        SummarySnapshot first = summary.snapshot(START_MS + 1000);
        summary.add(httpOn("h", ViewRecords.request("GET", "/c"), 0));
        SummarySnapshot second = summary.snapshot(START_MS + 2000);

        assertThat(first.messages()).isEmpty();
        assertThat(first.messageCounts()).containsExactly(
                Map.entry(MessageKind.HTTP_REQUEST, 2L), Map.entry(MessageKind.HTTP_RESPONSE, 1L),
                Map.entry(MessageKind.DNS_QUERY, 0L), Map.entry(MessageKind.DNS_RESPONSE, 1L),
                Map.entry(MessageKind.TLS_CLIENT_HELLO, 0L), Map.entry(MessageKind.TLS_SERVER_HELLO, 1L));
        assertThat(second.messageCounts()).containsEntry(MessageKind.HTTP_REQUEST, 3L);
    }

    @Test
    void shouldShowButNotCountAsAPacketARecordThatRepeatsAPacketForAPipelinedMessage() {
        TrafficSummary summary = new TrafficSummary(START_MS, 12);
        summary.add(httpOn("host-a", ViewRecords.request("GET", "/one"), 0));
        summary.add(httpOn("host-a", ViewRecords.request("GET", "/two"), 1));
        summary.add(httpOn("host-a", ViewRecords.request("GET", "/three"), 2));

        SummarySnapshot s = summary.snapshot(START_MS + 1000);

        assertThat(s.totalRecords()).isEqualTo(1);
        assertThat(s.rates()).singleElement().satisfies(r -> {
            assertThat(r.totalRecords()).isEqualTo(1);
            assertThat(r.totalPackets()).isEqualTo(3); // gsoSegs 3 of the one packet, counted once
            assertThat(r.recordsPerSecond()).isEqualTo(1.0);
        });
        assertThat(s.protocolPackets().get(IpVersion.IPV4)).containsOnly(Map.entry(ProtocolClass.TCP, 3L));
        assertThat(s.latency().samples()).isEqualTo(1);
        assertThat(s.messages()).extracting(AppMessageLine::text)
                .containsExactly("GET /one HTTP/1.1", "GET /two HTTP/1.1", "GET /three HTTP/1.1");
        assertThat(s.messageCounts()).containsEntry(MessageKind.HTTP_REQUEST, 3L);
    }

    @Test
    void shouldRejectANegativeNumberOfMessageLines() {
        assertThatThrownBy(() -> new TrafficSummary(START_MS, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("message lines must be >= 0, was -1");
    }

    /** An HTTP message in a GSO packet of 3 segments; {@code index} > 0 marks a repeat of that packet. */
    private static EnrichedHeader httpOn(String host, Http http, int index) {
        return ViewRecords.enriched(ViewRecords.packet(host, "egress", T0_NS).setGsoSegs(3)
                .setIp(ViewRecords.ipv4(6)).setTcp(ViewRecords.tcp(40000, 80, "PSH,ACK"))
                .setHttp(http).setAppMessageIndex(index).build(), START_MS + 5);
    }

    @Test
    void shouldKeepTheNewestLineOfEveryProtocolWhenOneProtocolIsChatty() {
        TrafficSummary summary = new TrafficSummary(START_MS, 3);
        summary.add(ViewRecords.enriched(ViewRecords.packet("host-a", "egress", T0_NS)
                .setIp(ViewRecords.ipv6(17)).setHttp(null).setDns(io.headerlog.schema.Dns.newBuilder()
                        .setTransport("udp").setId(7).setResponse(false).setOpcode(0).setRcode(0).setFlags(0x100)
                        .setAuthoritative(false).setTruncated(false).setRecursionDesired(true)
                        .setRecursionAvailable(false).setQuestionCount(1).setAnswerCount(0).setAuthorityCount(0)
                        .setAdditionalCount(0).setAnswers(java.util.List.of())
                        .setQuestions(java.util.List.of(io.headerlog.schema.DnsQuestion.newBuilder()
                                .setName("www.demo.hl").setType(1).setTypeName("A").setQclass(1).build()))
                        .build()).build(), START_MS));
        for (int i = 1; i <= 5; i++) {
            summary.add(ViewRecords.enriched(ViewRecords.packet("host-a", "egress", T0_NS + i)
                    .setIp(ViewRecords.ipv6(6)).setTcp(ViewRecords.tcp(40000 + i, 8080, "PSH,ACK"))
                    .setHttp(ViewRecords.request("GET", "/item/" + i)).build(), START_MS));
        }

        SummarySnapshot s = summary.snapshot(START_MS + 1000);

        assertThat(s.messages()).extracting(AppMessageLine::text)
                .containsExactly("DNS query www.demo.hl A (id 7)", "GET /item/4 HTTP/1.1", "GET /item/5 HTTP/1.1");
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
        summary.snapshot(START_MS + 2000);
        summary.add(ViewRecords.clock("host-b", "host-a", 37_000_000, 90_000, 3, START_MS + 2000));
        assertThat(summary.changedSinceSnapshot()).isTrue();
    }

    @Test
    void shouldListEveryHostOfRecordsStatsAndEstimatesInTheClocks() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.tcpPacket("host-a", "egress", 1, 1, 5));
        summary.add(ViewRecords.stats("host-c", T0_NS, 0, 0));
        summary.add(ViewRecords.clock("host-b", "host-a", 37_000_000, 90_000, 3, START_MS));
        summary.add(ViewRecords.clock("host-b", "host-a", 37_001_000, 60_000, 7, START_MS + 500));

        SummarySnapshot s = summary.snapshot(START_MS + 1000);

        assertThat(s.clocks()).extracting(HostClockLine::host).containsExactly("host-a", "host-b", "host-c");
        assertThat(s.clocks().get(0).latest()).isNull();
        assertThat(s.clocks().get(1).estimates()).extracting(ClockEstimate::errorBoundNs)
                .containsExactly(90_000L, 60_000L);
        assertThat(s.clocks().get(2).latest()).isNull();
    }

    @Test
    void shouldKeepOnlyTheLastFewEstimatesOfAHost() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        for (int i = 0; i < 10; i++) {
            summary.add(ViewRecords.clock("host-b", "host-a", 37_000_000 + i, 90_000 - i, i, START_MS + i));
        }

        assertThat(summary.snapshot(START_MS + 1000).clocks().get(0).estimates())
                .hasSize(TrafficSummary.CLOCK_HISTORY).last().extracting(ClockEstimate::samples).isEqualTo(9);
    }

    @Test
    void shouldCountAlignedPacketRecordsPerHostAndInterval() {
        TrafficSummary summary = new TrafficSummary(START_MS, 8);
        summary.add(ViewRecords.tcpPacket("host-b", "ingress", 1, 1, 5));
        summary.add(ViewRecords.aligned(ViewRecords.tcpPacket("host-b", "ingress", 1, 1, 5), "host-a", 37_000_000, 90_000));
        summary.add(ViewRecords.aligned(ViewRecords.tcpPacket("host-b", "egress", 1, 1, 5), "host-a", 37_000_000, 90_000));
        // a repeat of a packet for a pipelined message: not a packet, not counted again
        summary.add(ViewRecords.aligned(httpOn("host-b", ViewRecords.request("GET", "/two"), 1), "host-a", 37_000_000, 90_000));

        HostClockLine first = summary.snapshot(START_MS + 1000).clocks().get(0);
        assertThat(first.intervalRecords()).isEqualTo(3);
        assertThat(first.intervalAligned()).isEqualTo(2);
        HostClockLine second = summary.snapshot(START_MS + 2000).clocks().get(0);
        assertThat(second.intervalRecords()).isZero();
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
