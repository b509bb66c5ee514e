package io.headerlog.streams.filter;

import io.headerlog.schema.Dns;
import io.headerlog.schema.DnsQuestion;
import io.headerlog.schema.Http;
import io.headerlog.schema.HttpHeader;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import io.headerlog.schema.Udp;
import java.util.List;

/** PacketHeader records as a collector logs them: an HTTP GET over TCP, a TCP ACK, a DNS query. */
final class Records {
    private Records() {
    }

    static PacketHeader.Builder base() {
        return PacketHeader.newBuilder()
                .setHost("a")
                .setIfName("veth0")
                .setIfIndex(7)
                .setDirection("egress")
                .setMonoTimeNs(5_000_000_000L)
                .setCaptureTimeNs(1_700_000_000_000_000_000L)
                .setPacketLength(200)
                .setGsoSegs(1)
                .setPayloadLength(134)
                .setCapturedPayloadLength(134)
                .setParseFlags(List.of())
                .setCommunityId("1:LQU9qZlK+B5F3KDmev6m5PMibrg=")
                .setPacketHash(0x1234_5678_9abc_def0L)
                .setSampleRate(1);
    }

    static Ip ipv4(String src, String dst, int protocol) {
        return Ip.newBuilder()
                .setVersion(4).setSrc(src).setDst(dst).setProtocol(protocol)
                .setTtl(64).setDscp(0).setEcn(0).setIpId(4242L).setTotalLength(186)
                .setDontFragment(true).setMoreFragments(false).setFragmentOffset(0)
                .build();
    }

    static Tcp tcp(int srcPort, int dstPort, int flags, String flagNames) {
        return Tcp.newBuilder()
                .setSrcPort(srcPort).setDstPort(dstPort).setSeq(1_000_001L).setAck(2_000_001L)
                .setFlags(flags).setFlagNames(flagNames).setWindow(502).setHeaderLength(32)
                .setOptions(TcpOptions.newBuilder().setTsVal(123456L).setTsEcr(654321L).build())
                .build();
    }

    static PacketHeader httpGet() {
        return base()
                .setIp(ipv4("198.18.0.1", "198.18.0.2", 6))
                .setTcp(tcp(40000, 80, 24, "PSH,ACK"))
                .setHttp(Http.newBuilder()
                        .setMethod("GET").setTarget("/api/items?id=7").setVersion("HTTP/1.1")
                        .setHeaders(List.of(
                                HttpHeader.newBuilder().setName("Host").setValue("198.18.0.2").build(),
                                HttpHeader.newBuilder().setName("X-Request-ID").setValue("req-1").build()))
                        .setHost("198.18.0.2").setUserAgent("curl/7.88.1").setRequestId("req-1")
                        .setHeaderBytes(120)
                        .build())
                .build();
    }

    static PacketHeader tcpAck() {
        return base()
                .setIp(ipv4("198.18.0.2", "198.18.0.1", 6))
                .setTcp(tcp(80, 40000, 16, "ACK"))
                .setPayloadLength(0).setCapturedPayloadLength(0).setPacketLength(66)
                .build();
    }

    static PacketHeader dnsQuery(String name) {
        return base()
                .setIp(ipv4("198.18.0.1", "198.18.0.2", 17))
                .setUdp(Udp.newBuilder().setSrcPort(53535).setDstPort(53).setLength(40).build())
                .setDns(Dns.newBuilder()
                        .setTransport("udp").setId(4711).setResponse(false).setOpcode(0).setRcode(0)
                        .setFlags(0x0100).setAuthoritative(false).setTruncated(false)
                        .setRecursionDesired(true).setRecursionAvailable(false)
                        .setQuestionCount(1).setAnswerCount(0).setAuthorityCount(0).setAdditionalCount(0)
                        .setQuestions(List.of(DnsQuestion.newBuilder()
                                .setName(name).setType(1).setTypeName("A").setQclass(1).build()))
                        .setAnswers(List.of()) // set, not defaulted: Avro's default of a record array needs trusted classes
                        .build())
                .build();
    }

    /** A non-IP frame (e.g. ARP): no ip, no L4, no packet hash. */
    static PacketHeader nonIp() {
        return base().setPacketHash(null).setCommunityId(null).setPacketLength(42)
                .setPayloadLength(0).setCapturedPayloadLength(0).build();
    }
}
