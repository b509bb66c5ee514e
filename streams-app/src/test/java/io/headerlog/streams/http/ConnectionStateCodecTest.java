package io.headerlog.streams.http;

import static io.headerlog.streams.http.HttpRecords.MS;
import static io.headerlog.streams.http.HttpRecords.START_NS;
import static io.headerlog.streams.http.HttpRecords.request;
import static io.headerlog.streams.http.HttpRecords.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored connection state survives a round trip with everything in it, and rejects garbage. */
class ConnectionStateCodecTest {
    private final HttpTransactionConfig config = HttpTransactionConfig.DEFAULTS;
    private final HttpCounters counters = new HttpCounters();

    private ConnectionState busyState() {
        ConnectionState s = new ConnectionState();
        long t = 1_000_000;
        // an open request with traceparent and aligned time, a pending answered view, a reported one
        s.apply(request("host-a", "egress", "GET", "/open").at(START_NS).aligned(START_NS - 5, 40_000)
                .traceparent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331").requestId("r-1").message(),
                t, t, config, counters);
        s.apply(request("host-b", "ingress", "PUT", "/ü-tf8").at(START_NS).packet(2000, 1).message(), t, t, config,
                counters);
        s.apply(response("host-b", "egress", 201).at(START_NS + MS).packet(3000, 0).message(), t, t, config, counters);
        s.apply(request("host-b", "ingress", "GET", "/gone").at(START_NS).packet(2500, 0).message(), t, t, config,
                counters);
        s.expire(t + 32_000, config, counters);
        s.apply(request("host-a", "egress", "DELETE", "/later").at(START_NS).packet(4000, 0).message(), t + 32_000,
                t + 32_000, config, counters);
        return s;
    }

    @Test
    void shouldRoundTripEveryPartOfTheState() {
        ConnectionState s = busyState();
        byte[] bytes = ConnectionStateCodec.encode(s);
        ConnectionState back = ConnectionStateCodec.decode(bytes);

        assertThat(ConnectionStateCodec.encode(back)).isEqualTo(bytes);
        assertThat(back.nextDeadlineMs()).isEqualTo(s.nextDeadlineMs());
        assertThat(back.pairing().observers().keySet()).containsExactlyElementsOf(s.pairing().observers().keySet());
        assertThat(s.join().pending()).as("the test state has views waiting").hasSize(2);
        assertThat(s.join().reported()).as("and a reported request").hasSize(1);
        assertThat(s.openRequests()).as("and an open request").isEqualTo(1);
        assertThat(back.join().reported()).isEqualTo(s.join().reported());
        assertThat(back.join().pending()).isEqualTo(s.join().pending());
        for (var e : s.pairing().observers().entrySet()) {
            ObserverQueue q = back.pairing().observers().get(e.getKey());
            assertThat(q.openRequests()).isEqualTo(e.getValue().openRequests());
            assertThat(q.requestsSeen()).isEqualTo(e.getValue().requestsSeen());
            assertThat(q.lastRequestSeq()).isEqualTo(e.getValue().lastRequestSeq());
            assertThat(q.lastRequestIndex()).isEqualTo(e.getValue().lastRequestIndex());
        }
    }

    @Test
    void shouldRejectAnUnknownVersionAndTruncatedBytes() {
        byte[] bytes = ConnectionStateCodec.encode(busyState());
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThatThrownBy(() -> ConnectionStateCodec.decode(future)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        for (int cut : List.of(1, 5, bytes.length / 2, bytes.length - 1)) {
            assertThatThrownBy(() -> ConnectionStateCodec.decode(Arrays.copyOf(bytes, cut)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
