package io.headerlog.streams.http;

import static io.headerlog.streams.http.HttpRecords.MS;
import static io.headerlog.streams.http.HttpRecords.START_NS;
import static io.headerlog.streams.http.HttpRecords.request;
import static io.headerlog.streams.http.HttpRecords.response;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Joining the client's and the server's views of one connection: by order or traceparent, whatever
 * order the hosts' records arrive in; one-sided after the join window; forwarders, loopback and
 * duplicate views. Record times and stream time are in ms; capture times in ns.
 */
class ConnectionStateTest {
    private static final long T = 1_000_000; // stream time (ms) at the first record

    private final HttpTransactionConfig config = HttpTransactionConfig.DEFAULTS;
    private final HttpCounters counters = new HttpCounters();
    private final ConnectionState state = new ConnectionState();
    private final List<Transaction> out = new ArrayList<>();

    /** The record arrives at stream time {@code atMs} with that timestamp. */
    private void arrive(HttpRecords.Builder b, long atMs) {
        out.addAll(state.apply(b.message(), atMs, atMs, config, counters));
    }

    private void advance(long nowMs) {
        out.addAll(state.expire(nowMs, config, counters));
    }

    /** One request/response as the client (host-a, egress) and the server (host-b, ingress) capture it. */
    private static List<HttpRecords.Builder> exchange(String target, long sentNs, long serverMs, long seq) {
        return List.of(
                request("host-a", "egress", "GET", target).at(sentNs).packet(seq, 0),
                request("host-b", "ingress", "GET", target).at(sentNs + 100_000).packet(seq, 0),
                response("host-b", "egress", 200).at(sentNs + 100_000 + serverMs * MS).packet(seq + 50_000, 0),
                response("host-a", "ingress", 200).at(sentNs + 200_000 + serverMs * MS).packet(seq + 50_000, 0));
    }

    @Test
    void shouldJoinByConnectionOrderAndSplitLatency() {
        exchange("/x", START_NS, 3, 1000).forEach(b -> arrive(b, T));

        assertThat(out).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(Transaction.Kind.JOINED);
            assertThat(t.joinedBy()).isEqualTo(Transaction.JoinedBy.CONNECTION_ORDER);
            assertThat(t.client().host()).isEqualTo("host-a");
            assertThat(t.server().host()).isEqualTo("host-b");
            assertThat(t.client().latencyNs()).isEqualTo(3 * MS + 200_000);
            assertThat(t.server().latencyNs()).isEqualTo(3 * MS);
            assertThat(t.client().latencyNs()).isGreaterThanOrEqualTo(t.server().latencyNs());
        });
        assertThat(counters.matchRate()).isEqualTo(1.0);
    }

    @Test
    void shouldJoinWhateverOrderTheTwoHostsRecordsArriveIn() {
        // two pipelined requests; the server's collector publishes everything before the client's does
        List<HttpRecords.Builder> first = exchange("/first", START_NS, 2, 1000);
        List<HttpRecords.Builder> second = exchange("/second", START_NS + 50_000, 4, 1100);
        long t = T;
        for (HttpRecords.Builder b : List.of(first.get(1), second.get(1), first.get(2), second.get(2))) {
            arrive(b, t++);
        }
        assertThat(out).isEmpty();
        assertThat(state.pendingViews()).isEqualTo(2);
        for (HttpRecords.Builder b : List.of(first.get(0), second.get(0), first.get(3), second.get(3))) {
            arrive(b, t++);
        }

        assertThat(out).hasSize(2).allSatisfy(tx -> {
            assertThat(tx.kind()).isEqualTo(Transaction.Kind.JOINED);
            assertThat(tx.client().request().target()).isEqualTo(tx.server().request().target());
            assertThat(tx.client().latencyNs()).isGreaterThanOrEqualTo(tx.server().latencyNs());
        });
        assertThat(out).extracting(tx -> tx.client().request().target()).containsExactly("/first", "/second");
    }

    @Test
    void shouldJoinByTraceparentWhenTheServerMissedARequest() {
        // the server's collector started after the first request: its counts are one behind the client's
        arrive(request("host-a", "egress", "GET", "/one").at(START_NS).packet(1000, 0)
                .traceparent("0af7651916cd43dd8448eb211c80319c", "1111111111111111"), T);
        arrive(response("host-a", "ingress", 200).at(START_NS + 2 * MS).packet(9000, 0), T);
        arrive(request("host-a", "egress", "GET", "/two").at(START_NS + 10 * MS).packet(1100, 0)
                .traceparent("0af7651916cd43dd8448eb211c80319c", "2222222222222222"), T + 10);
        arrive(request("host-b", "ingress", "GET", "/two").at(START_NS + 10 * MS + 100_000).packet(1100, 0)
                .traceparent("0af7651916cd43dd8448eb211c80319c", "2222222222222222"), T + 10);
        arrive(response("host-b", "egress", 200).at(START_NS + 11 * MS).packet(9300, 0), T + 11);
        arrive(response("host-a", "ingress", 200).at(START_NS + 11 * MS + 100_000).packet(9300, 0), T + 11);

        assertThat(out).singleElement().satisfies(t -> {
            assertThat(t.joinedBy()).isEqualTo(Transaction.JoinedBy.TRACEPARENT);
            assertThat(t.client().ordinal()).isEqualTo(2);
            assertThat(t.server().ordinal()).isEqualTo(1);
        });
        advance(T + 5_000);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).kind()).isEqualTo(Transaction.Kind.CLIENT_ONLY);
        assertThat(out.get(1).client().request().target()).isEqualTo("/one");
        assertThat(counters.matchRate()).isEqualTo(0.5);
    }

    @Test
    void shouldNotJoinByOrderWhenMethodOrTargetDisagree() {
        // same situation without traceparent: the counts disagree and the targets give it away
        arrive(request("host-a", "egress", "GET", "/one").at(START_NS).packet(1000, 0), T);
        arrive(response("host-a", "ingress", 200).at(START_NS + 2 * MS).packet(9000, 0), T);
        arrive(request("host-a", "egress", "GET", "/two").at(START_NS + 10 * MS).packet(1100, 0), T + 10);
        arrive(request("host-b", "ingress", "GET", "/two").at(START_NS + 10 * MS).packet(1100, 0), T + 10);
        arrive(response("host-b", "egress", 200).at(START_NS + 11 * MS).packet(9300, 0), T + 11);
        arrive(response("host-a", "ingress", 200).at(START_NS + 11 * MS).packet(9300, 0), T + 11);
        advance(T + 5_011);

        assertThat(out).extracting(Transaction::kind).containsExactlyInAnyOrder(Transaction.Kind.CLIENT_ONLY,
                Transaction.Kind.CLIENT_ONLY, Transaction.Kind.SERVER_ONLY);
        assertThat(counters.joined()).isZero();
    }

    @Test
    void shouldReportAnUnansweredRequestAfterTheTimeoutAndTheJoinWindow() {
        arrive(request("host-a", "egress", "GET", "/hang").at(START_NS), T);
        advance(T + 29_999);
        assertThat(out).isEmpty();
        advance(T + 30_000); // the request gives up; its view waits for the server's view
        assertThat(out).isEmpty();
        advance(T + 35_000);

        assertThat(out).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(Transaction.Kind.CLIENT_ONLY);
            assertThat(t.client().answered()).isFalse();
            assertThat(t.client().statusCode()).isNull();
        });
        assertThat(state.isEmpty()).as("remembered for late views").isFalse();
        advance(T + 65_000);
        assertThat(state.isEmpty()).isTrue();
    }

    @Test
    void shouldCountTheOtherSidesViewLateAfterTheWindowAndNotReportTwice() {
        List<HttpRecords.Builder> x = exchange("/x", START_NS, 3, 1000);
        arrive(x.get(0), T);
        arrive(x.get(3), T + 3);
        advance(T + 5_003);
        assertThat(out).singleElement().extracting(Transaction::kind).isEqualTo(Transaction.Kind.CLIENT_ONLY);

        arrive(x.get(1), T + 6_000); // the server's collector lagged 6 s
        arrive(x.get(2), T + 6_000);
        advance(T + 20_000);

        assertThat(out).hasSize(1);
        assertThat(counters.lateViews()).isEqualTo(1);
        assertThat(counters.matchRate()).isZero();
    }

    @Test
    void shouldIgnoreAForwardersViewsAndNameIt() {
        // client host-a → router (eth0 in, eth1 out) → server host-b; each collector's records in its
        // capture order, the server's first, the router's next, the client's last
        long s = START_NS;
        arrive(request("host-b", "ingress", "GET", "/r").at(s + 200_000), T);
        arrive(response("host-b", "egress", 200).at(s + 2 * MS), T);
        arrive(request("router", "ingress", "GET", "/r").ifName("eth0").at(s + 100_000), T + 1);
        arrive(request("router", "egress", "GET", "/r").ifName("eth1").at(s + 110_000), T + 1);
        arrive(response("router", "ingress", 200).ifName("eth1").at(s + 2 * MS + 100_000), T + 1);
        arrive(response("router", "egress", 200).ifName("eth0").at(s + 2 * MS + 110_000), T + 1);
        assertThat(out).as("the router's egress view must not pass for the client's").isEmpty();
        arrive(request("host-a", "egress", "GET", "/r").at(s), T + 2);
        arrive(response("host-a", "ingress", 200).at(s + 2 * MS + 200_000), T + 2);

        assertThat(out).singleElement().satisfies(t -> {
            assertThat(t.client().host()).isEqualTo("host-a");
            assertThat(t.server().host()).isEqualTo("host-b");
            assertThat(t.middleHosts()).containsExactly("router");
        });
        assertThat(counters.middleViews()).isEqualTo(2);
    }

    @Test
    void shouldJoinLoopbackViewsOfOneHost() {
        arrive(request("host-h", "egress", "GET", "/").ifName("lo").at(START_NS), T);
        arrive(request("host-h", "ingress", "GET", "/").ifName("lo").at(START_NS + 5_000), T);
        arrive(response("host-h", "egress", 200).ifName("lo").at(START_NS + MS), T);
        arrive(response("host-h", "ingress", 200).ifName("lo").at(START_NS + MS + 5_000), T);

        assertThat(out).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(Transaction.Kind.JOINED);
            assertThat(t.client().observer()).isEqualTo(new ObserverId("host-h", "lo", "egress"));
            assertThat(t.server().observer()).isEqualTo(new ObserverId("host-h", "lo", "ingress"));
            assertThat(t.middleHosts()).isEmpty();
        });
    }

    @Test
    void shouldKeepTheViewNearestTheEndpointWhenOneSideIsSeenTwice() {
        // host-a captures on a bridge and on its port: two client views; the outer one arrives first
        arrive(request("host-a", "egress", "GET", "/").ifName("veth0").at(START_NS + 10_000), T);
        arrive(request("host-a", "egress", "GET", "/").ifName("br0").at(START_NS), T);
        arrive(response("host-a", "ingress", 200).ifName("veth0").at(START_NS + 3 * MS), T);
        arrive(response("host-a", "ingress", 200).ifName("br0").at(START_NS + 3 * MS + 10_000), T);
        arrive(request("host-b", "ingress", "GET", "/").at(START_NS + 100_000), T + 1);
        arrive(response("host-b", "egress", 200).at(START_NS + 2 * MS), T + 1);

        assertThat(out).singleElement().satisfies(t -> assertThat(t.client().observer().ifName()).isEqualTo("br0"));
        assertThat(counters.duplicateViews()).isEqualTo(1);
    }

    @Test
    void shouldForgetAQuietConnectionAndCountAgainFromOne() {
        exchange("/a", START_NS, 1, 1000).forEach(b -> arrive(b, T));
        advance(T + 5_000);
        assertThat(state.isEmpty()).isTrue();

        exchange("/b", START_NS + 60_000 * MS, 1, 2000).forEach(b -> arrive(b, T + 60_000));
        assertThat(out).hasSize(2);
        assertThat(out.get(1).client().ordinal()).isEqualTo(1);
        assertThat(out.get(1).kind()).isEqualTo(Transaction.Kind.JOINED);
    }
}
