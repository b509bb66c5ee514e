package io.headerlog.streams.http;

import static io.headerlog.streams.http.HttpRecords.FLOW;
import static io.headerlog.streams.http.HttpRecords.MS;
import static io.headerlog.streams.http.HttpRecords.START_NS;
import static io.headerlog.streams.http.HttpRecords.request;
import static io.headerlog.streams.http.HttpRecords.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.HttpTransaction;
import io.headerlog.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The branch inside a topology: EnrichedHeader records of a client (host-a) and a server (host-b,
 * whose wall clock is 37 ms ahead) in, HttpTransaction records out.
 */
class HttpTransactionTopologyTest {
    private static final String IN = "headers.enriched";
    private static final String OUT = "http.transactions";
    private static final long SKEW_NS = 37 * MS;
    private static final long T = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @TempDir
    Path stateDir;

    private final HttpCounters counters = new HttpCounters();
    private TopologyTestDriver driver;
    private TestInputTopic<String, EnrichedHeader> in;
    private TestOutputTopic<String, HttpTransaction> out;
    private Topology topology;

    @BeforeEach
    void start() {
        start(HttpTransactionConfig.DEFAULTS);
    }

    private void start(HttpTransactionConfig config) {
        if (driver != null) {
            driver.close();
        }
        Properties p = io.headerlog.streams.BranchDriverProperties.of("http-transactions-test", stateDir);
        SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        var enrichedSerde = AvroSerdes.specific(EnrichedHeader.class, registry, false);
        var transactionSerde = AvroSerdes.specific(HttpTransaction.class, registry, false);

        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(p)));
        KStream<String, EnrichedHeader> enriched = builder.stream(IN,
                Consumed.with(Serdes.String(), enrichedSerde).withName("enriched-source"));
        HttpTransactionTopology.addTo(builder, enriched, config, transactionSerde, OUT, counters);
        topology = builder.build(p);
        driver = new TopologyTestDriver(topology, p);
        in = driver.createInputTopic(IN, new StringSerializer(), enrichedSerde.serializer());
        out = driver.createOutputTopic(OUT, new StringDeserializer(), transactionSerde.deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void pipe(HttpRecords.Builder b, long timestampMs) {
        EnrichedHeader e = b.build();
        in.pipeInput(e.getHeader().getCommunityId(), e, timestampMs);
    }

    /** host-b's records: its wall clock reads 37 ms ahead; its clock model knows (error 50 µs). */
    private static HttpRecords.Builder atServer(HttpRecords.Builder b, long trueNs) {
        return b.at(trueNs + SKEW_NS).aligned(trueNs + 7_000, 50_000);
    }

    @Test
    void shouldSplitClientLatencyIntoServerAndNetworkTime() {
        long sent = START_NS;
        pipe(request("host-a", "egress", "GET", "/api/items?id=7").at(sent).aligned(sent, 0).requestId("req-7"), T);
        pipe(atServer(request("host-b", "ingress", "GET", "/api/items?id=7").requestId("req-7"), sent + 120_000), T);
        pipe(atServer(response("host-b", "egress", 200), sent + 120_000 + 4 * MS), T + 4);
        pipe(response("host-a", "ingress", 200).at(sent + 4 * MS + 250_000).aligned(sent + 4 * MS + 250_000, 0), T + 5);

        List<KeyValue<String, HttpTransaction>> records = out.readKeyValuesToList();
        assertThat(records).singleElement().satisfies(kv -> assertThat(kv.key).isEqualTo(FLOW));
        HttpTransaction t = records.get(0).value;
        assertThat(t.getKind()).isEqualTo("joined");
        assertThat(t.getJoinedBy()).isEqualTo("connection-order");
        assertThat(t.getMethod()).isEqualTo("GET");
        assertThat(t.getTarget()).isEqualTo("/api/items?id=7");
        assertThat(t.getHost()).isEqualTo("api.test");
        assertThat(t.getRequestId()).isEqualTo("req-7");
        assertThat(t.getAnswered()).isTrue();
        assertThat(t.getStatusCode()).isEqualTo(200);
        assertThat(t.getReason()).isEqualTo("OK");

        assertThat(t.getClientLatencyNs()).isEqualTo(4 * MS + 250_000);
        assertThat(t.getServerTimeNs()).isEqualTo(4 * MS);
        assertThat(t.getClientLatencyNs()).isGreaterThanOrEqualTo(t.getServerTimeNs());
        assertThat(t.getNetworkTimeNs()).isEqualTo(250_000);
        // on the hosts' own wall clocks the request would seem to take 37 ms; aligned, 120 µs ± the error
        assertThat(t.getServer().getRequestTimeNs() - t.getClient().getRequestTimeNs()).isGreaterThan(SKEW_NS);
        assertThat(Math.abs(t.getRequestOneWayDelayNs() - 120_000)).isLessThanOrEqualTo(t.getRequestOneWayDelayErrorNs());
        assertThat(t.getRequestOneWayDelayErrorNs()).isEqualTo(50_000);
        assertThat(Math.abs(t.getResponseOneWayDelayNs() - 130_000)).isLessThanOrEqualTo(t.getResponseOneWayDelayErrorNs());
        assertThat(t.getClient().getHost()).isEqualTo("host-a");
        assertThat(t.getClient().getRequestDirection()).isEqualTo("egress");
        assertThat(t.getServer().getHost()).isEqualTo("host-b");
        assertThat(t.getServer().getClockReference()).isEqualTo("host-a");
        assertThat(t.toString()).as("no header beyond the listed ones leaves")
                .doesNotContain("hmac:").doesNotContainIgnoringCase("authorization");
        assertThat(counters.matchRate()).isEqualTo(1.0);
    }

    @Test
    void shouldJoinByTraceparentAndLeaveOneWayDelaysNullWithoutClockModels() {
        // the server's collector missed request 1 (started late), so only the traceparent can join request 2
        pipe(request("host-a", "egress", "GET", "/one").at(START_NS).packet(1000, 0).traceparent(TRACE, "00f067aa0ba902b1"), T);
        pipe(response("host-a", "ingress", 200).at(START_NS + MS).packet(8000, 0), T + 1);
        pipe(request("host-a", "egress", "GET", "/two").at(START_NS + 10 * MS).packet(1100, 0)
                .traceparent(TRACE, "00f067aa0ba902b2"), T + 10);
        pipe(request("host-b", "ingress", "GET", "/two").at(START_NS + 10 * MS + SKEW_NS).packet(1100, 0)
                .traceparent(TRACE, "00f067aa0ba902b2"), T + 10);
        pipe(response("host-b", "egress", 200).at(START_NS + 12 * MS + SKEW_NS).packet(8300, 0), T + 12);
        pipe(response("host-a", "ingress", 200).at(START_NS + 12 * MS + 300_000).packet(8300, 0), T + 12);

        HttpTransaction t = out.readValue();
        assertThat(t.getJoinedBy()).isEqualTo("traceparent");
        assertThat(t.getTraceparent().getTraceId()).isEqualTo(TRACE);
        assertThat(t.getTraceparent().getParentId()).isEqualTo("00f067aa0ba902b2");
        assertThat(t.getRequestOrdinal()).as("the client's count").isEqualTo(2);
        assertThat(t.getServer().getRequestOrdinal()).isEqualTo(1);
        assertThat(t.getClientLatencyNs()).isGreaterThanOrEqualTo(t.getServerTimeNs());
        assertThat(t.getRequestOneWayDelayNs()).as("no clock model: not aligned").isNull();
        assertThat(t.getRequestOneWayDelayErrorNs()).isNull();
        assertThat(t.getClient().getRequestAlignedTimeNs()).isNull();
        assertThat(out.isEmpty()).isTrue();
        assertThat(counters.joinedByTraceparent()).isEqualTo(1);
    }

    @Test
    void shouldEmitOneSidedTransactionsAfterTheJoinWindowAndUnansweredAfterTheTimeout() {
        pipe(request("host-a", "egress", "GET", "/lonely").at(START_NS).packet(1000, 0), T);
        pipe(response("host-a", "ingress", 204).at(START_NS + 2 * MS).packet(8000, 0), T + 2);
        pipe(request("host-a", "egress", "GET", "/hangs").at(START_NS + 10 * MS).packet(1100, 0), T + 10);
        assertThat(out.isEmpty()).isTrue();

        // stream time moves on with another connection's records: the join window closes
        pipe(request("host-c", "egress", "GET", "/other").flow("1:other-flow"), T + 5_100);
        HttpTransaction lonely = out.readValue();
        assertThat(lonely.getKind()).isEqualTo("client-only");
        assertThat(lonely.getTarget()).isEqualTo("/lonely");
        assertThat(lonely.getStatusCode()).isEqualTo(204);
        assertThat(lonely.getClientLatencyNs()).isEqualTo(2 * MS);
        assertThat(lonely.getServer()).isNull();
        assertThat(lonely.getServerTimeNs()).isNull();
        assertThat(lonely.getNetworkTimeNs()).isNull();
        assertThat(out.isEmpty()).isTrue();

        // past the response timeout and then the join window of /hangs (T + 10 + 30 s + 5 s); /other,
        // sent at T + 5.1 s, has given up too but its view still waits for the server's
        pipe(request("host-c", "egress", "GET", "/tick").flow("1:third-flow"), T + 36_000);
        List<HttpTransaction> unanswered = out.readValuesToList();
        assertThat(unanswered).extracting(HttpTransaction::getTarget).containsExactly("/hangs");
        assertThat(unanswered).allSatisfy(t -> {
            assertThat(t.getAnswered()).isFalse();
            assertThat(t.getStatusCode()).isNull();
            assertThat(t.getReason()).isNull();
            assertThat(t.getClient().getLatencyNs()).isNull();
            assertThat(t.getClient().getResponseTimeNs()).isNull();
        });
        assertThat(counters.unansweredViews()).isEqualTo(2);
        assertThat(counters.clientOnly()).isEqualTo(2);
        assertThat(counters.matchRate()).isZero();
    }

    @Test
    void shouldCountLateRecordsAndLateViewsWithoutReportingARequestTwice() {
        pipe(request("host-a", "egress", "GET", "/x").at(START_NS).packet(1000, 0), T);
        pipe(response("host-a", "ingress", 200).at(START_NS + 3 * MS).packet(8000, 0), T + 3);
        pipe(request("host-c", "egress", "GET", "/other").flow("1:other-flow"), T + 6_000);
        assertThat(out.readValue().getKind()).isEqualTo("client-only");

        // the server's collector lagged 7 s: its view arrives after the window closed
        pipe(request("host-b", "ingress", "GET", "/x").at(START_NS + SKEW_NS).packet(1000, 0), T + 7_000);
        pipe(response("host-b", "egress", 200).at(START_NS + 2 * MS + SKEW_NS).packet(8000, 0), T + 7_000);
        assertThat(counters.lateViews()).isEqualTo(1);

        // a record older than stream time − response timeout is skipped and counted
        pipe(request("host-c", "egress", "GET", "/now").flow("1:third-flow"), T + 60_000);
        pipe(response("host-b", "egress", 200).at(START_NS + 5 * MS).packet(8400, 0), T + 20_000);
        assertThat(counters.lateRecords()).isEqualTo(1);

        List<HttpTransaction> rest = out.readValuesToList();
        assertThat(rest).extracting(HttpTransaction::getTarget).doesNotContain("/x");
        assertThat(counters.orphanResponses()).isZero();
    }

    @Test
    void shouldEvictTheConnectionExpiringSoonestAtTheTaskBound() {
        start(HttpTransactionConfig.DEFAULTS.withMaxConnectionsPerTask(2));
        pipe(request("host-a", "egress", "GET", "/1").flow("1:flow-1"), T);
        pipe(request("host-a", "egress", "GET", "/2").flow("1:flow-2"), T + 1);
        pipe(response("host-a", "ingress", 200).flow("1:flow-9"), T + 2); // orphan: takes no place
        assertThat(counters.evictedConnections()).isZero();
        pipe(request("host-a", "egress", "GET", "/3").flow("1:flow-3"), T + 2);

        assertThat(counters.evictedConnections()).isEqualTo(1);
        assertThat(counters.evictedRequests()).isEqualTo(1);
        var store = driver.<String, ConnectionState>getKeyValueStore(HttpTransactionTopology.STORE_NAME);
        assertThat(store.get("1:flow-1")).as("the oldest, expiring soonest").isNull();
        assertThat(store.get("1:flow-2")).isNotNull();
        assertThat(store.get("1:flow-3")).isNotNull();
    }

    @Test
    void shouldNameTheNodeTheStoreAndTheSink() {
        String described = topology.describe().toString();
        assertThat(described).contains("Processor: " + HttpTransactionTopology.PROCESSOR_NAME)
                .contains("stores: [" + HttpTransactionTopology.STORE_NAME + "]")
                .contains("Sink: " + HttpTransactionTopology.SINK_NAME + " (topic: " + OUT + ")");
        assertThat(driver.getKeyValueStore(HttpTransactionTopology.STORE_NAME)).isNotNull();
        // a connection leaves the store once nothing is in flight
        pipe(request("host-a", "egress", "GET", "/x"), T);
        assertThat(driver.getKeyValueStore(HttpTransactionTopology.STORE_NAME).get(FLOW)).isNotNull();
        pipe(response("host-a", "ingress", 200).at(START_NS + MS), T + 1);
        pipe(request("host-c", "egress", "GET", "/tick").flow("1:other-flow"), T + 40_000);
        assertThat(driver.getKeyValueStore(HttpTransactionTopology.STORE_NAME).get(FLOW)).isNull();
        assertThat(Duration.ofMillis(40_000)).isGreaterThan(HttpTransactionConfig.DEFAULTS.responseTimeout());
    }
}
