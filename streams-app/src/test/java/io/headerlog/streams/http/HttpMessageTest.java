package io.headerlog.streams.http;

import static io.headerlog.streams.http.HttpRecords.MS;
import static io.headerlog.streams.http.HttpRecords.START_NS;
import static io.headerlog.streams.http.HttpRecords.request;
import static io.headerlog.streams.http.HttpRecords.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.EnrichedHeader;
import org.junit.jupiter.api.Test;

/** What pairing reads off an enriched record. */
class HttpMessageTest {

    @Test
    void shouldReadARequestWithItsObserverAndOnlyTheListedFields() {
        EnrichedHeader e = request("host-a", "egress", "GET", "/p").at(START_NS).aligned(START_NS + 9, 40)
                .requestId("r-1").traceparent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")
                .packet(4242, 2).build();
        HttpMessage m = HttpMessage.of(e).orElseThrow();

        assertThat(m.request()).isTrue();
        assertThat(m.observer()).isEqualTo(new ObserverId("host-a", "veth0", "egress"));
        assertThat(m.observer().role()).isEqualTo(Role.CLIENT);
        assertThat(m.requestInfo()).isEqualTo(new RequestInfo("GET", "/p", "api.test", "r-1",
                new Trace(0, "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", 1)));
        assertThat(m.stamp().alignedNs()).isEqualTo(START_NS + 9);
        assertThat(m.tcpSeq()).isEqualTo(4242);
        assertThat(m.appMessageIndex()).isEqualTo(2);
    }

    @Test
    void shouldGiveAResponseToTheObserverThatSawRequestsTheOtherWay() {
        HttpMessage m = HttpMessage.of(response("host-b", "egress", 200).build()).orElseThrow();
        assertThat(m.request()).isFalse();
        assertThat(m.observer()).isEqualTo(new ObserverId("host-b", "veth0", "ingress"));
        assertThat(m.observer().role()).isEqualTo(Role.SERVER);
    }

    @Test
    void shouldMoveTheStampBackToWhereTheMessageBegan() {
        EnrichedHeader e = request("host-a", "egress", "GET", "/p").at(START_NS + 3 * MS).aligned(START_NS, 40).build();
        e.getHeader().getHttp().setStartMonoTimeNs(e.getHeader().getMonoTimeNs() - 3 * MS);
        Stamp s = HttpMessage.of(e).orElseThrow().stamp();

        assertThat(s.wallNs()).isEqualTo(START_NS);
        assertThat(s.monoNs()).isEqualTo(e.getHeader().getMonoTimeNs() - 3 * MS);
        assertThat(s.alignedNs()).isEqualTo(START_NS - 3 * MS);
        assertThat(s.clockErrorNs()).isEqualTo(40);
    }

    @Test
    void shouldSkipWhatIsNeitherARequestNorAResponse() {
        EnrichedHeader noHttp = request("host-a", "egress", "GET", "/").build();
        noHttp.getHeader().setHttp(null);
        EnrichedHeader cutStartLine = request("host-a", "egress", "GET", "/").build();
        cutStartLine.getHeader().getHttp().setMethod(null);
        EnrichedHeader oddDirection = request("host-a", "sideways", "GET", "/").build();
        EnrichedHeader alignedWithoutError = request("host-a", "egress", "GET", "/").build();
        alignedWithoutError.setAlignedTimeNs(START_NS);

        assertThat(HttpMessage.of(noHttp)).isEmpty();
        assertThat(HttpMessage.of(cutStartLine)).isEmpty();
        assertThat(HttpMessage.of(oddDirection)).isEmpty();
        assertThat(HttpMessage.of(alignedWithoutError).orElseThrow().stamp().aligned())
                .as("an aligned time without its bound is not passed off as aligned").isFalse();
    }
}
