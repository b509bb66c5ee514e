package io.headerlog.testing;

import static io.headerlog.testing.Protocols.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tshark, an independent dissector, reads what {@link PacketBuilder} builds: every checksum must
 * verify and the header fields must be the ones asked for.
 */
class PacketBuilderIT {

    /** tshark's checksum status: 0 bad, 1 good, 2 unverified. */
    private static final String GOOD = "1";

    @TempDir
    Path dir;

    private List<String[]> dissect(List<byte[]> frames, String... fields) throws Exception {
        Path pcap = dir.resolve("frames.pcap");
        PcapWriter.write(pcap, frames);
        List<String> cmd = new java.util.ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        ExecResult r = Exec.run(Duration.ofSeconds(60), cmd);
        assertThat(r.ok()).as("tshark (apt-get install tshark): %s", r.describe()).isTrue();
        return r.stdout().lines().map(l -> l.split("\\|", -1)).toList();
    }

    @Test
    void shouldBuildTcpThatTsharkDissectsWithGoodChecksums() throws Exception {
        InetAddress a4 = InetAddress.getByName("198.18.0.1");
        InetAddress b4 = InetAddress.getByName("198.18.0.2");
        InetAddress a6 = InetAddress.getByName("fd00:4c::1");
        InetAddress b6 = InetAddress.getByName("fd00:4c::2");
        List<byte[]> frames = List.of(
                PacketBuilder.ethernet("02:00:00:00:00:0a", "02:00:00:00:00:0b").ipv4(a4, b4).ttl(61).tos(0xb8).ipId(0x4a11)
                        .dontFragment(true).tcp(40001, 80).seq(0x11223344L).ack(0x55667788L).flags(TH_SYN | TH_ACK).window(64240)
                        .mss(1460).sackPermitted().timestamps(123456, 654321).nop().windowScale(7).payload(new byte[] {1, 2, 3}).build(),
                PacketBuilder.ethernet("02:00:00:00:00:0a", "02:00:00:00:00:0b").ipv6(a6, b6).ttl(33).flowLabel(0xabcde)
                        .hopByHop().tcp(40002, 443).seq(7).flags(TH_PSH | TH_ACK).payload("hello".getBytes()).build());

        List<String[]> rows = dissect(frames, "tcp.checksum.status", "tcp.srcport", "tcp.seq_raw", "tcp.ack_raw",
                "tcp.flags", "tcp.window_size_value", "tcp.options.mss_val", "tcp.options.wscale.shift",
                "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr", "tcp.len", "ip.checksum.status", "ip.ttl",
                "ip.id", "ipv6.flow", "ipv6.hlim");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(GOOD, "40001", "287454020", "1432778632", "0x0012", "64240", "1460", "7",
                "123456", "654321", "3", GOOD, "61", "0x4a11", "", "");
        assertThat(rows.get(1)).containsExactly(GOOD, "40002", "7", "0", "0x0018", "65535", "", "", "", "", "5", "", "",
                "", "0x0abcde", "33");
    }

    @Test
    void shouldBuildUdpIcmpAndVlanFramesThatTsharkAccepts() throws Exception {
        InetAddress a4 = InetAddress.getByName("198.18.0.1");
        InetAddress b4 = InetAddress.getByName("198.18.0.2");
        InetAddress a6 = InetAddress.getByName("fd00:4c::1");
        InetAddress b6 = InetAddress.getByName("fd00:4c::2");
        List<byte[]> frames = List.of(
                PacketBuilder.ethernet("02:00:00:00:00:0a", "02:00:00:00:00:0b").vlan(ETH_P_8021AD, 100).vlan(ETH_P_8021Q, 200)
                        .ipv4(a4, b4).udp(5000, 53).payload(new byte[12]).build(),
                PacketBuilder.ethernet("02:00:00:00:00:0a", "02:00:00:00:00:0b").ipv4(a4, b4).echoRequest(0x7777, 3)
                        .payload(new byte[56]).build(),
                PacketBuilder.ethernet("02:00:00:00:00:0a", "02:00:00:00:00:0b").ipv6(a6, b6).echoRequest(0x6666, 4)
                        .payload(new byte[32]).build(),
                PacketBuilder.ethernet("02:00:00:00:00:0a", "02:00:00:00:00:0b").ipv6(a6, b6).hopByHop()
                        .ipv6Fragment(0xdeadbeefL, 0, false).udp(6000, 7000).payload(new byte[24]).build());

        List<String[]> rows = dissect(frames, "ieee8021ad.id", "vlan.id", "udp.checksum.status", "udp.length", "icmp.checksum.status",
                "icmp.ident", "icmp.seq", "icmpv6.checksum.status", "icmpv6.echo.identifier", "ipv6.fraghdr.ident");

        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)[0]).as("outer 802.1ad tag").isEqualTo("100");
        assertThat(rows.get(0)[1]).as("inner 802.1Q tag").isEqualTo("200");
        assertThat(rows.get(0)[2]).isEqualTo(GOOD);
        assertThat(rows.get(0)[3]).isEqualTo("20");
        assertThat(rows.get(1)[4]).isEqualTo(GOOD);
        assertThat(rows.get(1)[5]).isEqualTo("30583");
        assertThat(rows.get(1)[6]).isEqualTo("3");
        assertThat(rows.get(2)[7]).isEqualTo(GOOD);
        assertThat(rows.get(2)[8]).isEqualTo("0x6666");
        assertThat(rows.get(3)[2]).isEqualTo(GOOD);
        assertThat(rows.get(3)[9]).isEqualTo("0xdeadbeef");
    }
}
