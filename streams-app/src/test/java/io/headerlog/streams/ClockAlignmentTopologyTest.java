package io.headerlog.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clock model inside the topology: synthetic hosts at known offsets and drifts exchange TCP
 * handshakes; clock.offsets must find the offsets within the published bound, and enriched records
 * must carry aligned times — or say they are not aligned.
 */
class ClockAlignmentTopologyTest {
    private static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");
    private static final long MS = 1_000_000L;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, PacketHeader> raw;
    private TestOutputTopic<String, EnrichedHeader> enriched;
    private TestOutputTopic<String, ClockOffset> offsets;

    private void start(Optional<String> reference) {
        SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        EnrichCounters counters = new EnrichCounters();
        StreamsAppConfig config = StreamsAppConfig.defaults("127.0.0.1:9092", "http://127.0.0.1:8081")
                .withStateDir(stateDir)
                // the test driver runs every subtopology in one task: no waiting for empty partitions
                .withMaxTaskIdle(Duration.ZERO)
                .withFunctions(StreamFunctions.DEFAULTS.withClockReference(reference));
        driver = new TopologyTestDriver(EnrichTopology.build(config, registry, counters),
                config.streamsProperties(counters), WALL_CLOCK);
        raw = driver.createInputTopic(config.inputTopic(), new StringSerializer(),
                AvroSerdes.specific(PacketHeader.class, registry, false).serializer());
        enriched = driver.createOutputTopic(config.outputTopic(), new StringDeserializer(),
                AvroSerdes.specific(EnrichedHeader.class, registry, false).deserializer());
        offsets = driver.createOutputTopic(config.clockTopic(), new StringDeserializer(),
                AvroSerdes.specific(ClockOffset.class, registry, false).deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** One handshake a second between the pairs, for {@code seconds} seconds of true time. */
    private void exchange(SyntheticHosts hosts, long fromNs, int seconds, String[][] pairs) {
        for (int s = 0; s < seconds; s++) {
            for (String[] pair : pairs) {
                for (PacketHeader h : hosts.handshake(pair[0], pair[1], fromNs + s * 1_000 * MS).records()) {
                    raw.pipeInput(h.getCommunityId(), h);
                }
            }
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
    }

    private Map<String, ClockOffset> latestOffsets() {
        Map<String, ClockOffset> latest = new HashMap<>();
        for (KeyValue<String, ClockOffset> kv : offsets.readKeyValuesToList()) {
            latest.put(kv.key, kv.value);
        }
        return latest;
    }

    @Test
    void shouldRecoverA37msOffsetWithinThePublishedBound() {
        start(Optional.empty());
        SyntheticHosts hosts = new SyntheticHosts().host("host-a", 0, 0).host("host-b", 37 * MS, 0);

        exchange(hosts, SyntheticHosts.START_NS, 30, new String[][] {{"host-a", "host-b"}});

        ClockOffset b = latestOffsets().get("host-b");
        assertThat(b.getReference()).as("the lowest host id is the default reference").isEqualTo("host-a");
        assertThat(Math.abs(b.getOffsetNs() - 37 * MS)).isLessThanOrEqualTo(b.getErrorBoundNs());
        assertThat(b.getErrorBoundNs()).as("half a ~200 µs round trip, plus the fit").isLessThan(MS / 4);
        assertThat(b.getSamples()).isGreaterThanOrEqualTo(10);
        assertThat(b.getPath()).containsExactly("host-b", "host-a");
    }

    @Test
    void shouldDeriveAHostThatOnlyTalksToAnotherThroughIt() {
        start(Optional.of("host-a"));
        SyntheticHosts hosts = new SyntheticHosts().host("host-a", 0, 0).host("host-b", 37 * MS, 0)
                .host("host-c", -5 * MS, 20);

        exchange(hosts, SyntheticHosts.START_NS, 40, new String[][] {{"host-a", "host-b"}, {"host-c", "host-b"}});

        Map<String, ClockOffset> latest = latestOffsets();
        ClockOffset c = latest.get("host-c");
        assertThat(c.getPath()).containsExactly("host-c", "host-b", "host-a");
        long trueOffsetAtValidFrom = hosts.read("host-c", c.getValidFromNs()) - c.getValidFromNs();
        assertThat(Math.abs(c.getOffsetNs() - trueOffsetAtValidFrom)).isLessThanOrEqualTo(c.getErrorBoundNs());
        assertThat(c.getDriftPpm()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(2.0));
        assertThat(latest.get("host-a").getOffsetNs()).isZero();
        assertThat(latest.get("host-a").getErrorBoundNs()).isZero();
    }

    @Test
    void shouldStampAlignedTimeOnlyOnceTheHostHasAModel() {
        start(Optional.empty());
        SyntheticHosts hosts = new SyntheticHosts().host("host-a", 0, 0).host("host-b", 37 * MS, 0);
        long before = SyntheticHosts.START_NS - 10_000 * MS;
        raw.pipeInput("1:early", SyntheticHosts.tcp("host-b", "ingress", hosts.read("host-b", before), 16, 1, 1L, "1:early"));
        driver.advanceWallClockTime(Duration.ofSeconds(1)); // commit: exactly-once output becomes visible
        EnrichedHeader early = enriched.readValue();
        assertThat(early.getAlignedTimeNs()).as("no model yet: not aligned").isNull();
        assertThat(early.getClockErrorNs()).isNull();

        exchange(hosts, SyntheticHosts.START_NS, 20, new String[][] {{"host-a", "host-b"}});
        enriched.readValuesToList();
        SyntheticHosts.Handshake later = hosts.handshake("host-a", "host-b", SyntheticHosts.START_NS + 25_000 * MS);
        later.records().forEach(h -> raw.pipeInput(later.flow(), h));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        List<EnrichedHeader> out = enriched.readValuesToList();
        EnrichedHeader synAtA = out.get(0);
        EnrichedHeader synAtB = out.get(1);
        assertThat(synAtB.getClockReference()).isEqualTo("host-a");
        assertThat(Math.abs(synAtB.getAlignedTimeNs() - later.synArrivedTrueNs())).isLessThanOrEqualTo(synAtB.getClockErrorNs());
        assertThat(synAtA.getAlignedTimeNs()).as("the reference's own time").isEqualTo(synAtA.getHeader().getCaptureTimeNs());
        long alignedDelay = synAtB.getAlignedTimeNs() - synAtA.getAlignedTimeNs();
        long rawDelay = synAtB.getHeader().getCaptureTimeNs() - synAtA.getHeader().getCaptureTimeNs();
        assertThat(alignedDelay).as("one-way delay on aligned clocks").isBetween(0L, MS);
        assertThat(rawDelay).as("on the hosts' own clocks, off by the skew").isGreaterThan(36 * MS);
    }

    @Test
    void shouldFollowAClockStepAfterAFewSamples() {
        start(Optional.empty());
        SyntheticHosts hosts = new SyntheticHosts().host("host-a", 0, 0).host("host-b", 37 * MS, 0);
        exchange(hosts, SyntheticHosts.START_NS, 20, new String[][] {{"host-a", "host-b"}});
        assertThat(latestOffsets().get("host-b").getOffsetNs()).isCloseTo(37 * MS,
                org.assertj.core.data.Offset.offset(MS / 4));

        hosts.step("host-b", 50 * MS);
        exchange(hosts, SyntheticHosts.START_NS + 20_000 * MS, 20, new String[][] {{"host-a", "host-b"}});

        ClockOffset b = latestOffsets().get("host-b");
        assertThat(b.getSteps()).isEqualTo(1);
        assertThat(Math.abs(b.getOffsetNs() - 87 * MS)).isLessThanOrEqualTo(b.getErrorBoundNs());
    }
}
