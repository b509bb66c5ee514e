package io.headerlog.streams.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.streams.clock.Observation.Role;
import org.junit.jupiter.api.Test;

class ObservationTest {
    @Test
    void shouldTakeASynAsTheRequestAndASynAckAsTheResponseOfTheHandshake() {
        Observation syn = Observation.tcpHandshake("a", true, 1, 2, "1:f", Observation.SYN).orElseThrow();
        Observation synAck = Observation.tcpHandshake("b", true, 1, 3, "1:f", Observation.SYN | Observation.ACK)
                .orElseThrow();

        assertThat(syn.role()).isEqualTo(Role.REQUEST);
        assertThat(synAck.role()).isEqualTo(Role.RESPONSE);
        assertThat(syn.exchange()).isEqualTo(synAck.exchange()).isEqualTo(Observation.TCP_HANDSHAKE);
    }

    @Test
    void shouldIgnoreTcpPacketsThatAreNotPartOfAHandshake() {
        assertThat(Observation.tcpHandshake("a", true, 1, 2, "1:f", Observation.ACK)).isEmpty();
        assertThat(Observation.tcpHandshake("a", true, 1, 2, "1:f", 0x18)).isEmpty(); // PSH+ACK
        assertThat(Observation.tcpHandshake("a", true, 1, 2, "1:f", Observation.SYN | Observation.RST)).isEmpty();
        assertThat(Observation.tcpHandshake("a", true, 1, 2, "1:f", Observation.SYN | Observation.FIN)).isEmpty();
    }

    @Test
    void shouldGiveEchoAndDnsExchangesIdsThatPairRequestWithReply() {
        Observation ping = Observation.icmpEcho("a", true, 1, 2, "1:f", false, 7, 1);
        Observation pong = Observation.icmpEcho("b", true, 1, 3, "1:f", true, 7, 1);
        Observation query = Observation.dns("a", true, 1, 2, "1:g", false, 4242);
        Observation answer = Observation.dns("b", true, 1, 2, "1:g", true, 4242);

        assertThat(ping.exchange()).isEqualTo(pong.exchange()).isEqualTo("icmp-echo:7:1");
        assertThat(ping.role()).isEqualTo(Role.REQUEST);
        assertThat(pong.role()).isEqualTo(Role.RESPONSE);
        assertThat(query.exchange()).isEqualTo(answer.exchange()).isEqualTo("dns:4242");
        assertThat(answer.role()).isEqualTo(Role.RESPONSE);
    }

    @Test
    void shouldRejectAnObservationWithoutHostFlowOrRole() {
        assertThatThrownBy(() -> new Observation(" ", true, 1, 2, "f", Role.REQUEST, "x"))
                .hasMessageContaining("host must not be blank");
        assertThatThrownBy(() -> new Observation("a", true, 1, 2, null, Role.REQUEST, "x"))
                .hasMessageContaining("flow key must be set");
        assertThatThrownBy(() -> new Observation("a", true, 1, 2, "f", null, "x"))
                .hasMessageContaining("role must be set");
    }
}
