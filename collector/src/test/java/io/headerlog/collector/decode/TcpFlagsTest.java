package io.headerlog.collector.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpFlagsTest {
    @Test
    void shouldNameFlagsInBitOrder() {
        assertThat(TcpFlags.names(TcpFlags.SYN)).isEqualTo("SYN");
        assertThat(TcpFlags.names(TcpFlags.SYN | TcpFlags.ACK)).isEqualTo("SYN,ACK");
        assertThat(TcpFlags.names(TcpFlags.FIN | TcpFlags.PSH | TcpFlags.ACK)).isEqualTo("FIN,PSH,ACK");
        assertThat(TcpFlags.names(TcpFlags.AE | TcpFlags.CWR | TcpFlags.ECE)).isEqualTo("ECE,CWR,AE");
        assertThat(TcpFlags.names(0)).isEmpty();
    }
}
