package io.headerlog.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.FlowWindowSummary;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.streams.flows.FlowWindowConfig;
import io.headerlog.streams.flows.FlowWindowTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flows.summary in the whole app, as `./headerlog stream` builds it (exactly-once: output appears
 * when the wall clock passes a commit): the collectors' records on headers.raw, sampled in the
 * kernel at 1 in 4, and their exact counters on flows.raw.
 */
class FlowSummaryTopologyTest {
    private static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_772_366_400L * S;
    private static final String FLOW = "1:LQU9qZlK+B5F3KDmev6m5PMibrg=";

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private StreamsAppConfig config;
    private TestInputTopic<String, PacketHeader> raw;
    private TestInputTopic<String, FlowSummary> flows;
    private TestOutputTopic<String, FlowWindowSummary> summaries;

    private void start(FlowWindowConfig flowWindows) {
        SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        EnrichCounters counters = new EnrichCounters();
        // The test driver runs every subtopology in one task: never wait for the other inputs.
        config = StreamsAppConfig.defaults("127.0.0.1:9092", "http://127.0.0.1:8081").withStateDir(stateDir)
                .withMaxTaskIdle(Duration.ZERO).withFunctions(StreamFunctions.DEFAULTS.withFlowWindows(flowWindows));
        driver = new TopologyTestDriver(EnrichTopology.build(config, registry, counters), config.streamsProperties(counters),
                WALL_CLOCK);
        raw = driver.createInputTopic(config.inputTopic(), new StringSerializer(),
                AvroSerdes.specific(PacketHeader.class, registry, false).serializer());
        flows = driver.createInputTopic(config.flowsTopic(), new StringSerializer(),
                AvroSerdes.specific(FlowSummary.class, registry, false).serializer());
        summaries = driver.createOutputTopic(config.flowSummaryTopic(), new StringDeserializer(),
                AvroSerdes.specific(FlowWindowSummary.class, registry, false).deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static PacketHeader sampled(long captureNs, int rate) {
        PacketHeader h = PacketHeaders.tcpSyn("host-a", 40001, captureNs);
        h.getTcp().setFlags(0x10);
        h.getTcp().setFlagNames("ACK");
        h.setSampleRate(rate);
        return h;
    }

    @Test
    void shouldSummariseTheHeadersOfAWindowNextToTheFlowsExactCountersOnCommit() {
        start(FlowWindowConfig.DEFAULTS);
        raw.pipeInput(FLOW, PacketHeaders.tcpSyn("host-a", 40001, T0 + S)); // kept regardless: rate 1
        for (int i = 0; i < 25; i++) {
            raw.pipeInput(FLOW, sampled(T0 + 2 * S + i * 1_000_000L, 4));
        }
        FlowSummary exact = FlowSummary.newBuilder().setHost("host-a").setIfName("veth0").setIfIndex(7)
                .setDirection("egress").setIpVersion(4).setProtocol(6).setSrc("198.18.0.1").setDst("198.18.0.2")
                .setSrcPort(40001).setDstPort(80).setCommunityId(FLOW).setPackets(98).setBytes(98 * 74)
                .setFirstSeenNs(T0 + S).setLastSeenNs(T0 + 3 * S).setTcpFlags(0x12).setTcpFlagNames("SYN|ACK")
                .setEndReason("idle").build();
        flows.pipeInput(FLOW, exact);
        // another flow's packet moves event time past the window's end + grace (10 s + 30 s)
        raw.pipeInput("1:other", PacketHeaders.tcpSyn("host-a", 40002, T0 + 40 * S));

        driver.advanceWallClockTime(config.commitInterval()); // exactly-once: output is certain once a commit is due

        List<FlowWindowSummary> out = summaries.readValuesToList();
        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.getCommunityId()).isEqualTo(FLOW);
            assertThat(s.getEstimatedPackets()).isEqualTo(1 + 25 * 4);
            assertThat(s.getEstimatedBytes()).isEqualTo((1 + 25 * 4) * 74L);
            assertThat(s.getEstimatedPacketsError()).isEqualTo(Math.sqrt(25 * 12.0));
            assertThat(s.getExactPackets()).isEqualTo(98);
            assertThat(s.getExactBytes()).isEqualTo(98 * 74L);
            assertThat(Math.abs(s.getEstimatedPackets() - s.getExactPackets()))
                    .isLessThanOrEqualTo(Math.round(3 * s.getEstimatedPacketsError()));
        });
    }

    @Test
    void shouldLeaveFlowsRawAloneWhenSwitchedOff() {
        start(FlowWindowConfig.DEFAULTS.withEnabled(false));

        TopologyDescription description = EnrichTopology.build(config, new InMemorySchemaRegistryClient(),
                new EnrichCounters()).describe();
        assertThat(description.toString()).doesNotContain(FlowWindowTopology.SOURCE_NAME, FlowWindowTopology.PROCESSOR_NAME,
                config.flowsTopic());
        assertThat(config.topics()).doesNotContain(config.flowsTopic(), config.flowSummaryTopic());
    }
}
