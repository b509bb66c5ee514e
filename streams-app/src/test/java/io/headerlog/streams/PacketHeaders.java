package io.headerlog.streams;

import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import java.util.List;

/** Hand-built PacketHeader records for tests: a TCP SYN with options, as a collector would log it. */
final class PacketHeaders {
    private PacketHeaders() {
    }

    static PacketHeader tcpSyn(String host, int srcPort, long captureTimeNs) {
        return PacketHeader.newBuilder()
                .setHost(host)
                .setIfName("veth0")
                .setIfIndex(7)
                .setDirection("egress")
                .setMonoTimeNs(captureTimeNs - 1_700_000_000_000_000_000L)
                .setCaptureTimeNs(captureTimeNs)
                .setPacketLength(74)
                .setGsoSegs(1)
                .setPayloadLength(0)
                .setCapturedPayloadLength(0)
                .setParseFlags(List.of())
                .setIp(Ip.newBuilder()
                        .setVersion(4).setSrc("198.18.0.1").setDst("198.18.0.2").setProtocol(6)
                        .setTtl(64).setDscp(0).setEcn(0).setIpId(4242L).setTotalLength(60)
                        .setDontFragment(true).setMoreFragments(false).setFragmentOffset(0)
                        .build())
                .setTcp(Tcp.newBuilder()
                        .setSrcPort(srcPort).setDstPort(80).setSeq(1_000_000L).setAck(0L)
                        .setFlags(2).setFlagNames("SYN").setWindow(64240).setHeaderLength(40)
                        .setOptions(TcpOptions.newBuilder()
                                .setMss(1460).setWindowScale(7).setSackPermitted(true)
                                .setTsVal(123456L).setTsEcr(0L).build())
                        .build())
                .setCommunityId("1:LQU9qZlK+B5F3KDmev6m5PMibrg=")
                .setPacketHash(0x1234_5678_9abcL)
                .setSampleRate(1)
                .build();
    }
}
