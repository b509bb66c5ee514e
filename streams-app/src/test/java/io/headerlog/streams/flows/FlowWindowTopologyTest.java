package io.headerlog.streams.flows;

import static io.headerlog.streams.flows.FlowRecords.FLOW;
import static io.headerlog.streams.flows.FlowRecords.MS;
import static io.headerlog.streams.flows.FlowRecords.S;
import static io.headerlog.streams.flows.FlowRecords.T0;
import static io.headerlog.streams.flows.FlowRecords.data;
import static io.headerlog.streams.flows.FlowRecords.flow;
import static io.headerlog.streams.flows.FlowRecords.syn;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.FlowWindowSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flows.summary branch in a topology: windows of 10 s and 30 s of grace (the defaults), the
 * flow's packets at host-a sampled at 1 in 8 except the records kept regardless, and the collector's
 * exact counters arriving ~20 s after the flow's last packet, as its idle export does.
 */
class FlowWindowTopologyTest {
    private static final FlowWindowConfig CONFIG = FlowWindowConfig.DEFAULTS;
    private static final Duration EXPORT_DELAY = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    private FlowWindowDriver driver;

    private FlowWindowDriver start(FlowWindowConfig config) {
        driver = new FlowWindowDriver(config, stateDir);
        return driver;
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void shouldPutTheEstimateScaledBySampleRateNextToTheExactCounters() {
        start(CONFIG);
        driver.pipe(syn(T0 + MS)); // kept regardless: rate 1
        for (int i = 0; i < 40; i++) {
            driver.pipe(data(T0 + 100 * MS + i * 10 * MS, 8));
        }
        EnrichedHeader gso = data(T0 + 600 * MS, 8); // a GRO super-packet of 4 segments
        gso.getHeader().setGsoSegs(4);
        gso.getHeader().setPacketLength(66 + 4 * 1448);
        gso.getHeader().setPayloadLength(4 * 1448);
        driver.pipe(gso);
        driver.pipe(data(T0 + 700 * MS, 1)); // an HTTP request: kept regardless
        EnrichedHeader copy = data(T0 + 700 * MS, 1); // its pipelined second message: not another packet
        copy.getHeader().setAppMessageIndex(1);
        driver.pipe(copy);
        driver.pipe(FlowRecords.header("host-b", "ingress", T0 + 2 * MS, 1, 0x02, "SYN", 74, 0)); // the other end

        driver.advanceEventTime(T0 + 22 * S); // the flow went idle; its counters come with the collector's export
        driver.pipe(flow(T0 + MS, T0 + 2 * S, 360, 540_000), EXPORT_DELAY);
        driver.advanceEventTime(T0 + 40 * S - 1);
        assertThat(driver.read()).as("window end + grace not reached").isEmpty();
        driver.advanceEventTime(T0 + 40 * S);

        List<TestRecord<String, FlowWindowSummary>> out = driver.read();
        assertThat(out).extracting(r -> r.value().getHost()).containsExactlyInAnyOrder("host-a", "host-b");
        TestRecord<String, FlowWindowSummary> a = out.stream().filter(r -> r.value().getHost().equals("host-a")).findFirst()
                .orElseThrow();
        assertThat(a.key()).isEqualTo(FLOW);
        assertThat(a.timestamp()).as("the newest input timestamp").isEqualTo((T0 + 2 * S) / MS + EXPORT_DELAY.toMillis());
        FlowWindowSummary s = a.value();
        assertThat(s.getIfName()).isEqualTo("eth0");
        assertThat(s.getDirection()).isEqualTo("egress");
        assertThat(s.getSrc() + ":" + s.getSrcPort() + ">" + s.getDst() + ":" + s.getDstPort())
                .isEqualTo("198.18.0.1:40000>198.18.0.2:80");
        assertThat(s.getWindowStartNs()).isEqualTo(T0);
        assertThat(s.getWindowEndNs()).isEqualTo(T0 + 10 * S);
        assertThat(s.getHeaderRecords()).isEqualTo(43);
        // SYN 1 + 40 × 8 + the super-packet's 4 segments × 8 + the request 1
        assertThat(s.getEstimatedPackets()).isEqualTo(1 + 320 + 32 + 1);
        // each further segment carries its own 66 bytes of headers, as the kernel counts them
        assertThat(s.getEstimatedBytes()).isEqualTo(74 + 320L * 1514 + 8L * (66 + 4 * 1448 + 3 * 66) + 1514);
        assertThat(s.getEstimatedPacketsError()).isEqualTo(Math.sqrt(40 * 56 + 56 * 16), within());
        assertThat(s.getEstimatedBytesError())
                .isEqualTo(Math.sqrt(40 * 56.0 * 1514 * 1514 + 56.0 * 6056 * 6056), within());
        assertThat(s.getMaxSampleRate()).isEqualTo(8);
        assertThat(s.getExactFlowRecords()).isEqualTo(1);
        assertThat(s.getExactPackets()).isEqualTo(360);
        assertThat(s.getExactBytes()).isEqualTo(540_000);
        assertThat(s.getExactFirstSeenNs()).isEqualTo(T0 + MS);
        assertThat(s.getExactLastSeenNs()).isEqualTo(T0 + 2 * S);
        assertThat(Math.abs(s.getEstimatedPackets() - s.getExactPackets()))
                .isLessThanOrEqualTo(Math.round(3 * s.getEstimatedPacketsError()));
        assertThat(s.getClosedBy()).isEqualTo("window");
        assertThat(s.getEmittedAtMs()).isEqualTo(FlowWindowDriver.WALL_CLOCK.toEpochMilli());

        FlowWindowSummary b = out.stream().filter(r -> r.value().getHost().equals("host-b")).findFirst().orElseThrow().value();
        assertThat(b.getDirection()).isEqualTo("ingress");
        assertThat(b.getEstimatedPackets()).isEqualTo(1);
        assertThat(b.getExactFlowRecords()).isZero();
        assertThat(b.getExactPackets()).as("no exact counters of host-b yet: null, not 0").isNull();
        assertThat(driver.counters.skippedCopies()).isEqualTo(1);
        assertThat(driver.counters.flowRecords()).isEqualTo(1);
    }

    @Test
    void shouldCountRecordsThatArriveOutOfOrderWithinTheGrace() {
        start(CONFIG);
        driver.pipe(data(T0 + 12 * S, 4)); // window 1 first
        driver.pipe(data(T0 + 5 * S, 4)); // then window 0's, 7 s behind event time
        driver.advanceEventTime(T0 + 39 * S);
        driver.pipe(flow(T0 + 5 * S, T0 + 9 * S, 5, 7_570), Duration.ofSeconds(30)); // 30 s after its last packet
        driver.advanceEventTime(T0 + 40 * S);

        List<TestRecord<String, FlowWindowSummary>> out = driver.read();
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.value().getWindowStartNs()).isEqualTo(T0);
            assertThat(r.value().getEstimatedPackets()).isEqualTo(4);
            assertThat(r.value().getExactPackets()).isEqualTo(5);
        });
        assertThat(driver.counters.lateHeaderRecords() + driver.counters.lateFlowRecords()).isZero();
    }

    @Test
    void shouldCountRecordsAfterTheGraceAsLateAndNeverEmitAWindowTwice() {
        start(CONFIG);
        driver.pipe(data(T0 + S, 4));
        driver.advanceEventTime(T0 + 40 * S);
        assertThat(driver.read()).hasSize(1);

        driver.pipe(data(T0 + 2 * S, 4));
        driver.pipe(flow(T0 + S, T0 + 9 * S, 7, 10_598), Duration.ofSeconds(31));
        driver.advanceEventTime(T0 + 80 * S);

        assertThat(driver.read()).as("no second record of window 0").isEmpty();
        assertThat(driver.counters.lateHeaderRecords()).isEqualTo(1);
        assertThat(driver.counters.lateFlowRecords()).isEqualTo(1);
        assertThat(driver.counters.lateFlowPackets()).as("the exact packets the summaries miss").isEqualTo(7);
        assertThat(driver.counters.lateFlowBytes()).isEqualTo(10_598);
    }

    @Test
    void shouldPutAFlowRecordSpanningWindowsWholeIntoTheWindowOfItsLastPacket() {
        start(CONFIG);
        driver.pipe(data(T0 + S, 1));
        driver.pipe(data(T0 + 11 * S, 1));
        driver.pipe(data(T0 + 25 * S, 1));
        driver.pipe(flow(T0 + S, T0 + 25 * S, 3, 4_542), Duration.ofSeconds(1)); // an active-timeout export
        driver.advanceEventTime(T0 + 70 * S);

        List<FlowWindowSummary> out = driver.read().stream().map(TestRecord::value).toList();
        assertThat(out).extracting(FlowWindowSummary::getWindowStartNs).containsExactly(T0, T0 + 10 * S, T0 + 20 * S);
        assertThat(out).extracting(FlowWindowSummary::getEstimatedPackets).containsExactly(1L, 1L, 1L);
        assertThat(out).extracting(FlowWindowSummary::getExactPackets).containsExactly(null, null, 3L);
        assertThat(out.get(2).getExactFirstSeenNs()).as("the exact counters began two windows earlier").isEqualTo(T0 + S);
        assertThat(out.stream().mapToLong(FlowWindowSummary::getEstimatedPackets).sum())
                .isEqualTo(out.get(2).getExactPackets());
    }

    @Test
    void shouldBoundOpenWindowsPerTaskByEmittingTheOneDueSoonestEarly() {
        start(CONFIG.withMaxOpenWindows(3));
        for (int w = 0; w < 4; w++) {
            driver.pipe(data(T0 + w * 10 * S + S, 1));
        }
        List<TestRecord<String, FlowWindowSummary>> evicted = driver.read();
        assertThat(evicted).singleElement().satisfies(r -> {
            assertThat(r.value().getWindowStartNs()).isEqualTo(T0);
            assertThat(r.value().getClosedBy()).isEqualTo("evicted");
        });
        assertThat(driver.counters.windowsEvicted()).isEqualTo(1);
        assertThat(driver.counters.openWindows()).isEqualTo(3);

        driver.pipe(data(T0 + 2 * S, 1)); // its window was emitted: late, not a second record
        driver.pipe(data(T0 + 12 * S, 1)); // still open
        assertThat(driver.counters.lateHeaderRecords()).isEqualTo(1);
        assertThat(driver.counters.openWindows()).isEqualTo(3);
        assertThat(driver.read()).isEmpty();
    }

    @Test
    void shouldCloseTheLastWindowsOnTheWallClockWhenTrafficStops() {
        start(CONFIG);
        driver.pipe(data(T0 + S, 2));
        driver.pipe(flow(T0 + S, T0 + S, 2, 3_028), Duration.ofSeconds(20));

        driver.advanceWallClock(Duration.ofSeconds(30));
        assertThat(driver.read()).as("event time follows the wall clock only to T0 + 31 s").isEmpty();
        driver.advanceWallClock(Duration.ofSeconds(10));

        assertThat(driver.read()).singleElement().satisfies(r -> {
            assertThat(r.value().getClosedBy()).isEqualTo("idle");
            assertThat(r.value().getEstimatedPackets()).isEqualTo(2);
            assertThat(r.value().getExactPackets()).isEqualTo(2);
        });
    }

    @Test
    void shouldSkipRecordsWithoutAFlowToCountIn() {
        start(CONFIG);
        EnrichedHeader arp = data(T0 + S, 1);
        arp.getHeader().setIp(null);
        arp.getHeader().setTcp(null);
        driver.pipe(arp);

        assertThat(driver.counters.skippedUnkeyed()).isEqualTo(1);
        assertThat(driver.counters.openWindows()).isZero();
    }

    @Test
    void shouldNameEverythingAndReadBothInputsInOneSubtopologyWithoutRepartition() {
        start(CONFIG);
        TopologyDescription description = driver.topology.describe();

        assertThat(description.subtopologies()).singleElement().satisfies(s -> assertThat(s.nodes())
                .extracting(TopologyDescription.Node::name).contains("enriched-source", FlowWindowTopology.SOURCE_NAME,
                        FlowWindowTopology.MERGE_NAME, FlowWindowTopology.PROCESSOR_NAME, FlowWindowTopology.SINK_NAME));
        assertThat(description.toString()).contains(FlowWindowTopology.STORE_NAME).doesNotContain("repartition")
                .doesNotContain("KSTREAM-");
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-6);
    }
}
