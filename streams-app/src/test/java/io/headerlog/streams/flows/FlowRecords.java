package io.headerlog.streams.flows;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.GeneratedSchemas;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import java.util.List;

/**
 * Records of one TCP flow (198.18.0.1:40000 → 198.18.0.2:80) as the flows.summary branch reads them:
 * enriched header records of its packets and the collectors' flows.raw records, at host-a (egress on
 * eth0) unless said otherwise.
 */
final class FlowRecords {
    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;
    /** A window boundary (a multiple of 10 s), so tests can reason in windows. */
    static final long T0 = 1_772_366_400L * S;
    static final String FLOW = "1:flow-a";
    static final String HOST = "host-a";
    /** A full-size Ethernet frame: 14 + 20 + 32 (TCP with timestamps) + 1448 payload. */
    static final int FRAME = 1514;
    static final int PAYLOAD = 1448;

    static {
        GeneratedSchemas.trust();
    }

    private FlowRecords() {
    }

    /** A data segment of the flow at host-a, kept at 1 in {@code rate}. */
    static EnrichedHeader data(long captureNs, long rate) {
        return header(HOST, "egress", captureNs, rate, 0x10, "ACK", FRAME, PAYLOAD);
    }

    /** The SYN: kept regardless of sampling, so at rate 1. */
    static EnrichedHeader syn(long captureNs) {
        return header(HOST, "egress", captureNs, 1, 0x02, "SYN", 74, 0);
    }

    static EnrichedHeader header(String host, String direction, long captureNs, long rate, int flags, String flagNames,
            int packetLength, int payloadLength) {
        PacketHeader h = PacketHeader.newBuilder()
                .setHost(host).setIfName("eth0").setIfIndex(2).setDirection(direction)
                .setMonoTimeNs(captureNs - 1_700_000_000_000_000_000L).setCaptureTimeNs(captureNs)
                .setPacketLength(packetLength).setGsoSegs(1).setPayloadLength(payloadLength)
                .setCapturedPayloadLength(0).setParseFlags(List.of())
                .setIp(Ip.newBuilder().setVersion(4).setSrc("198.18.0.1").setDst("198.18.0.2").setProtocol(6)
                        .setTtl(64).setDscp(0).setEcn(0).setIpId(1L).setTotalLength(packetLength - 14)
                        .setDontFragment(true).setMoreFragments(false).setFragmentOffset(0).build())
                .setTcp(Tcp.newBuilder().setSrcPort(40000).setDstPort(80).setSeq(1000L).setAck(1L).setFlags(flags)
                        .setFlagNames(flagNames).setWindow(502).setHeaderLength(32)
                        .setOptions(TcpOptions.newBuilder().setMss(null).setWindowScale(null).setSackPermitted(false)
                                .setTsVal(1L).setTsEcr(1L).build())
                        .build())
                .setCommunityId(FLOW).setPacketHash(captureNs * 31).setSampleRate((int) rate)
                .build();
        return EnrichedHeader.newBuilder().setHeader(h).setProcessedAtMs(captureNs / MS).setRawTopic("headers.raw")
                .setRawPartition(0).setRawOffset(0L).setAlignedTimeNs(null).setClockErrorNs(null).setClockReference(null)
                .setCombinedSampleRate(rate).build();
    }

    /** The collector's exact counters of the flow at host-a (egress on eth0) over [firstNs, lastNs]. */
    static FlowSummary flow(long firstNs, long lastNs, long packets, long bytes) {
        return FlowSummary.newBuilder()
                .setHost(HOST).setIfName("eth0").setIfIndex(2).setDirection("egress").setIpVersion(4).setProtocol(6)
                .setSrc("198.18.0.1").setDst("198.18.0.2").setSrcPort(40000).setDstPort(80).setCommunityId(FLOW)
                .setPackets(packets).setBytes(bytes).setFirstSeenNs(firstNs).setLastSeenNs(lastNs)
                .setTcpFlags(0x12).setTcpFlagNames("SYN|ACK").setEndReason("idle")
                .build();
    }
}
