package io.headerlog.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.Http;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.StreamsStats;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.streams.stats.StreamsInstance;
import io.headerlog.streams.stats.StreamsStatsRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The StreamsStats record built from the counters the real topology keeps: two hosts exchange TCP
 * handshakes (clock samples, packets seen at both ends) and one HTTP request seen by client and
 * server, and every group of the record must say so, with rates that match its own counts.
 */
class StreamsStatsTest {
    private static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");
    private static final long MS = 1_000_000L;
    private static final StreamsInstance INSTANCE = new StreamsInstance("headerlog-streams", "test-host:42", 1L);

    @TempDir
    Path stateDir;

    private final SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final EnrichCounters counters = new EnrichCounters();
    private TopologyTestDriver driver;
    private TestInputTopic<String, PacketHeader> raw;
    private int piped;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start() {
        StreamsAppConfig config = StreamsAppConfig.defaults("127.0.0.1:9092", "http://127.0.0.1:8081")
                .withStateDir(stateDir).withMaxTaskIdle(Duration.ZERO);
        driver = new TopologyTestDriver(EnrichTopology.build(config, registry, counters),
                config.streamsProperties(counters), WALL_CLOCK);
        raw = driver.createInputTopic(config.inputTopic(), new StringSerializer(),
                AvroSerdes.specific(PacketHeader.class, registry, false).serializer());
    }

    private void pipe(PacketHeader h) {
        raw.pipeInput(h.getCommunityId(), h);
        piped++;
    }

    @Test
    void shouldReportNothingAsZeroCountsAndUnknownRates() {
        StreamsStats s = StreamsStatsRecords.of(INSTANCE, 5L, Duration.ofSeconds(5), "CREATED", false, new EnrichCounters());

        assertThat(s.getRecords().getRecordsIn()).isZero();
        assertThat(s.getRecords().getAlignedShare()).as("no records: no share, not 0").isNull();
        assertThat(s.getCorrelation().getMatchRate()).isNull();
        assertThat(s.getHttp().getMatchRate()).isNull();
        assertThat(s.getClock().getSamples()).isZero();
        assertThat(s.getApplicationId()).isEqualTo("headerlog-streams");
        assertThat(s.getInstanceId()).isEqualTo("test-host:42");
        assertThat(s.getIntervalMs()).isEqualTo(5_000L);
        assertThat(s.getState()).isEqualTo("CREATED");
        assertThat(s.getLast()).isFalse();
    }

    @Test
    void shouldCountWhatTheTopologyDidInEveryGroup() {
        start();
        SyntheticHosts hosts = new SyntheticHosts().host("host-a", 0, 0).host("host-b", 37 * MS, 0);
        SyntheticHosts.Handshake first = hosts.handshake("host-a", "host-b", SyntheticHosts.START_NS);
        first.records().forEach(this::pipe);
        httpExchange(hosts, first.flow(), SyntheticHosts.START_NS + 10 * MS);
        // more handshakes over 20 s: clock samples, and stream time moves on past every window
        for (int s = 1; s <= 20; s++) {
            hosts.handshake("host-a", "host-b", SyntheticHosts.START_NS + s * 1_000 * MS).records().forEach(this::pipe);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }

        StreamsStats s = StreamsStatsRecords.of(INSTANCE, 7L, Duration.ofSeconds(2), "RUNNING", true, counters);

        assertThat(s.getRecords().getRecordsIn()).isEqualTo(piped);
        assertThat(s.getRecords().getRecordsOut()).isEqualTo(piped);
        assertThat(s.getRecords().getDeadLetters()).isZero();
        assertThat(s.getRecords().getAligned()).as("host-b is aligned once its clock is modelled").isPositive();
        assertThat(s.getRecords().getAlignedShare()).isEqualTo((double) s.getRecords().getAligned() / piped);

        assertThat(s.getClock().getSamples()).as("reported by the punctuator, equal to the samples sent on")
                .isEqualTo(counters.clockSamples()).isGreaterThanOrEqualTo(20L);
        assertThat(s.getClock().getObservations()).isGreaterThanOrEqualTo(4L * 21);

        // SYN and SYN-ACK of each handshake and the two HTTP messages, each seen at both hosts
        assertThat(s.getCorrelation().getPacketsCorrelated()).isGreaterThanOrEqualTo(2L * 18 + 2);
        assertThat(s.getCorrelation().getObservationsMatched()).isEqualTo(2 * s.getCorrelation().getPacketsCorrelated());
        assertThat(s.getCorrelation().getMatchRate()).isEqualTo(1.0);
        assertThat(s.getCorrelation().getLate()).isZero();
        assertThat(s.getCorrelation().getPacketsEvicted()).isZero();

        assertThat(s.getHttp().getRequests()).isEqualTo(2L);
        assertThat(s.getHttp().getTransactions()).isEqualTo(1L);
        assertThat(s.getHttp().getJoined()).isEqualTo(1L);
        assertThat(s.getHttp().getMatchRate()).isEqualTo(1.0);
        assertThat(s.getLast()).isTrue();

        // and it is a valid record of the schema, through the wire format
        Serde<StreamsStats> serde = AvroSerdes.specific(StreamsStats.class, registry, false);
        assertThat(serde.deserializer().deserialize("streams.stats",
                serde.serializer().serialize("streams.stats", s))).isEqualTo(s);
    }

    /** GET / from host-a to host-b and its 200, each seen leaving one host and reaching the other. */
    private void httpExchange(SyntheticHosts hosts, String flow, long trueNs) {
        int clientPort = Integer.parseInt(flow.substring(flow.lastIndexOf('-') + 1));
        Http request = Http.newBuilder().setMethod("GET").setTarget("/").setVersion("HTTP/1.1").setHost("b.test").build();
        Http response = Http.newBuilder().setVersion("HTTP/1.1").setStatusCode(200).setReason("OK").build();
        long requestLabel = 0x5151_0001L;
        long responseLabel = 0x5151_0002L;
        pipe(http(SyntheticHosts.tcp("host-a", "egress", hosts.read("host-a", trueNs), 24, clientPort, requestLabel, flow),
                request, 1001));
        pipe(http(SyntheticHosts.tcp("host-b", "ingress", hosts.read("host-b", trueNs + 100_000), 24, clientPort,
                requestLabel, flow), request, 1001));
        pipe(http(SyntheticHosts.tcp("host-b", "egress", hosts.read("host-b", trueNs + 2 * MS), 24, clientPort,
                responseLabel, flow), response, 5001));
        pipe(http(SyntheticHosts.tcp("host-a", "ingress", hosts.read("host-a", trueNs + 2 * MS + 100_000), 24, clientPort,
                responseLabel, flow), response, 5001));
    }

    private static PacketHeader http(PacketHeader tcp, Http message, long seq) {
        PacketHeader h = PacketHeader.newBuilder(tcp).setHttp(message).setPayloadLength(80).setCapturedPayloadLength(80).build();
        h.getTcp().setSeq(seq);
        h.getTcp().setFlagNames("PSH,ACK");
        return h;
    }

    @Test
    void shouldKeyEachInstanceByApplicationAndInstance() {
        StreamsInstance a = StreamsInstance.startingNow("app-1");
        StreamsInstance b = StreamsInstance.startingNow("app-1");

        assertThat(a.key()).startsWith("app-1/").endsWith(a.instanceId());
        assertThat(a.instanceId()).contains(":" + ProcessHandle.current().pid());
        assertThat(b.instanceId()).as("a second app in one process").isNotEqualTo(a.instanceId());
        assertThat(List.of(a.startedAtNs(), b.startedAtNs())).allSatisfy(t -> assertThat(t).isPositive());
    }
}
