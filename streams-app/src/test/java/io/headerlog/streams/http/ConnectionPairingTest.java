package io.headerlog.streams.http;

import static io.headerlog.streams.http.HttpRecords.MS;
import static io.headerlog.streams.http.HttpRecords.START_NS;
import static io.headerlog.streams.http.HttpRecords.request;
import static io.headerlog.streams.http.HttpRecords.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.EnrichedHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-observer FIFO pairing: keep-alive, pipelining, retransmissions, interim and missing responses. */
class ConnectionPairingTest {
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final HttpCounters counters = new HttpCounters();
    private final ConnectionPairing pairing = new ConnectionPairing();
    private final List<ObserverView> views = new ArrayList<>();

    private void send(HttpRecords.Builder b) {
        send(b.message(), NO_DEADLINE, 64);
    }

    private void send(HttpMessage m, long deadlineMs, int maxOpen) {
        if (m.request()) {
            pairing.request(m, deadlineMs, maxOpen, counters);
        } else {
            ObserverView v = pairing.response(m, counters);
            if (v != null) {
                views.add(v);
            }
        }
    }

    @Test
    void shouldPairKeepAliveRequestsInOrder() {
        send(request("host-a", "egress", "GET", "/1").at(START_NS).packet(1000, 0));
        send(response("host-a", "ingress", 200).at(START_NS + 5 * MS).packet(5000, 0));
        send(request("host-a", "egress", "GET", "/2").at(START_NS + 10 * MS).packet(1100, 0));
        send(response("host-a", "ingress", 404).at(START_NS + 12 * MS).packet(5300, 0));
        send(request("host-a", "egress", "POST", "/3").at(START_NS + 20 * MS).packet(1200, 0));
        send(response("host-a", "ingress", 201).at(START_NS + 35 * MS).packet(5600, 0));

        assertThat(views).extracting(ObserverView::ordinal).containsExactly(1, 2, 3);
        assertThat(views).extracting(v -> v.request().target()).containsExactly("/1", "/2", "/3");
        assertThat(views).extracting(ObserverView::statusCode).containsExactly(200, 404, 201);
        assertThat(views).extracting(ObserverView::latencyNs).containsExactly(5 * MS, 2 * MS, 15 * MS);
        assertThat(views).allSatisfy(v -> assertThat(v.role()).isEqualTo(Role.CLIENT));
        assertThat(pairing.hasOpenRequests()).isFalse();
    }

    @Test
    void shouldPairPipelinedMessagesThatShareAPacket() {
        // three requests in one packet (appMessageIndex 0, 1, 2), answered by two packets
        send(request("host-b", "ingress", "GET", "/a").at(START_NS).packet(1000, 0));
        send(request("host-b", "ingress", "GET", "/b").at(START_NS).packet(1000, 1));
        send(request("host-b", "ingress", "GET", "/c").at(START_NS).packet(1000, 2));
        send(response("host-b", "egress", 200).at(START_NS + 3 * MS).packet(7000, 0));
        send(response("host-b", "egress", 204).at(START_NS + 3 * MS).packet(7000, 1));
        send(response("host-b", "egress", 503).at(START_NS + 9 * MS).packet(7400, 0));

        assertThat(views).extracting(v -> v.request().target()).containsExactly("/a", "/b", "/c");
        assertThat(views).extracting(ObserverView::statusCode).containsExactly(200, 204, 503);
        assertThat(views).extracting(ObserverView::latencyNs).containsExactly(3 * MS, 3 * MS, 9 * MS);
        assertThat(views).allSatisfy(v -> assertThat(v.role()).isEqualTo(Role.SERVER));
        assertThat(counters.requests()).isEqualTo(3);
    }

    @Test
    void shouldSkipRetransmittedMessagesSoLaterPairsDoNotShift() {
        send(request("host-a", "egress", "GET", "/1").at(START_NS).packet(1000, 0));
        send(request("host-a", "egress", "GET", "/1").at(START_NS + 200 * MS).packet(1000, 0));
        send(response("host-a", "ingress", 200).at(START_NS + 210 * MS).packet(5000, 0));
        send(response("host-a", "ingress", 200).at(START_NS + 400 * MS).packet(5000, 0));
        send(request("host-a", "egress", "GET", "/2").at(START_NS + 500 * MS).packet(1100, 0));
        send(response("host-a", "ingress", 200).at(START_NS + 501 * MS).packet(5300, 0));

        assertThat(counters.retransmissions()).isEqualTo(2);
        assertThat(views).extracting(v -> v.request().target()).containsExactly("/1", "/2");
        assertThat(views).extracting(ObserverView::latencyNs).containsExactly(210 * MS, MS);
        assertThat(counters.orphanResponses()).isZero();
    }

    @Test
    void shouldLetTheFinalResponseAnswerAfter100Continue() {
        send(request("host-a", "egress", "POST", "/upload").at(START_NS).packet(1000, 0));
        send(response("host-a", "ingress", 100).at(START_NS + MS).packet(5000, 0));
        send(response("host-a", "ingress", 200).at(START_NS + 40 * MS).packet(5025, 0));

        assertThat(views).singleElement().satisfies(v -> {
            assertThat(v.statusCode()).isEqualTo(200);
            assertThat(v.latencyNs()).isEqualTo(40 * MS);
        });
        assertThat(counters.interimResponses()).isEqualTo(1);
    }

    @Test
    void shouldReportARequestUnansweredAtItsDeadline() {
        send(request("host-a", "egress", "GET", "/slow").message(), 30_000, 64);

        assertThat(pairing.expire(29_999, counters)).isEmpty();
        assertThat(pairing.nextDeadlineMs()).isEqualTo(30_000);
        List<ConnectionPairing.Unanswered> expired = pairing.expire(30_000, counters);

        assertThat(expired).singleElement().satisfies(u -> assertThat(u.atMs()).isEqualTo(30_000));
        assertThat(expired).extracting(ConnectionPairing.Unanswered::view).singleElement().satisfies(v -> {
            assertThat(v.answered()).isFalse();
            assertThat(v.statusCode()).isNull();
            assertThat(v.latencyNs()).isNull();
        });
        assertThat(counters.unansweredViews()).isEqualTo(1);
        // a response after that finds nothing to answer
        send(response("host-a", "ingress", 200).at(START_NS + 31_000 * MS));
        assertThat(views).isEmpty();
        assertThat(counters.orphanResponses()).isEqualTo(1);
    }

    @Test
    void shouldMeasureLatencyOnTheMonotonicClockNotTheWallClock() {
        send(request("host-a", "egress", "GET", "/1").at(START_NS));
        EnrichedHeader resp = response("host-a", "ingress", 200).at(START_NS + 5 * MS).build();
        // the wall clock was stepped back 1 s between request and response (NTP); mono was not
        resp.getHeader().setCaptureTimeNs(resp.getHeader().getCaptureTimeNs() - 1_000 * MS);
        send(HttpMessage.of(resp).orElseThrow(), NO_DEADLINE, 64);

        assertThat(views).singleElement().satisfies(v -> {
            assertThat(v.latencyNs()).isEqualTo(5 * MS);
            assertThat(v.responseStamp().wallNs()).as("reported as captured").isEqualTo(START_NS - 995 * MS);
        });
    }

    @Test
    void shouldKeepObserversApartOnLoopbackAndSpotAForwarder() {
        // loopback: one host, one interface, both directions: a client and a server view, no forwarder
        send(request("host-h", "egress", "GET", "/").ifName("lo").at(START_NS));
        send(request("host-h", "ingress", "GET", "/").ifName("lo").at(START_NS + 10_000));
        send(response("host-h", "egress", 200).ifName("lo").at(START_NS + MS));
        send(response("host-h", "ingress", 200).ifName("lo").at(START_NS + MS + 10_000));
        assertThat(views).extracting(ObserverView::role).containsExactly(Role.SERVER, Role.CLIENT);
        assertThat(views).extracting(ObserverView::latencyNs).containsExactly(MS - 10_000, MS + 10_000);
        assertThat(pairing.middleHosts()).isEmpty();

        // a router sees the request arrive on eth0 and leave on eth1
        send(request("router", "ingress", "GET", "/").ifName("eth0").at(START_NS));
        send(request("router", "egress", "GET", "/").ifName("eth1").at(START_NS + 20_000));
        assertThat(pairing.middleHosts()).containsExactly("router");
    }

    @Test
    void shouldEvictTheOldestOpenRequestBeyondTheBound() {
        for (int i = 1; i <= 3; i++) {
            send(request("host-a", "egress", "GET", "/" + i).packet(1000 + i * 100L, 0).message(), NO_DEADLINE, 2);
        }
        send(response("host-a", "ingress", 200).packet(9000, 0));

        assertThat(counters.evictedRequests()).isEqualTo(1);
        assertThat(views).singleElement().satisfies(v -> {
            assertThat(v.request().target()).isEqualTo("/2");
            assertThat(v.ordinal()).isEqualTo(2);
        });
    }
}
