package io.headerlog.streams.correlate;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import java.util.List;

/**
 * EnrichedHeader records of one TCP packet (198.18.0.1:40000 → 198.18.0.2:80) as the streams app
 * would have enriched them at various hosts, for the correlation tests. The PacketHeader part
 * follows SyntheticHosts in the parent package.
 */
final class Sightings {
    static final long START_NS = 1_772_366_400_000_000_000L;
    static final long US = 1_000L;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final String FLOW = "1:flow-a";
    static final String REFERENCE = "client";

    private Sightings() {
    }

    /** A sighting aligned on the reference clock: captured at {@code captureNs}, aligned to {@code alignedNs} ± {@code errorNs}. */
    static EnrichedHeader aligned(String host, String ifName, String direction, long captureNs, long alignedNs,
            long errorNs, String flow, long hash) {
        EnrichedHeader e = unaligned(host, ifName, direction, captureNs, flow, hash);
        e.setAlignedTimeNs(alignedNs);
        e.setClockErrorNs(errorNs);
        e.setClockReference(REFERENCE);
        return e;
    }

    /** A sighting of a host without a clock model. */
    static EnrichedHeader unaligned(String host, String ifName, String direction, long captureNs, String flow,
            long hash) {
        return EnrichedHeader.newBuilder()
                .setHeader(header(host, ifName, direction, captureNs, flow, hash))
                .setProcessedAtMs(captureNs / MS).setRawTopic("headers.raw").setRawPartition(0).setRawOffset(0L)
                .setAlignedTimeNs(null).setClockErrorNs(null).setClockReference(null).setCombinedSampleRate(4L)
                .build();
    }

    /** A sighting on the reference clock itself (error 0), as the reference host's records are. */
    static EnrichedHeader atReference(String host, String ifName, String direction, long ns, String flow, long hash) {
        return aligned(host, ifName, direction, ns, ns, 0, flow, hash);
    }

    static PacketHeader header(String host, String ifName, String direction, long captureNs, String flow, long hash) {
        return PacketHeader.newBuilder()
                .setHost(host).setIfName(ifName).setIfIndex(7).setDirection(direction)
                .setMonoTimeNs(captureNs - 1_700_000_000_000_000_000L).setCaptureTimeNs(captureNs)
                .setPacketLength(74).setGsoSegs(1).setPayloadLength(0).setCapturedPayloadLength(0)
                .setParseFlags(List.of())
                .setIp(Ip.newBuilder().setVersion(4).setSrc("198.18.0.1").setDst("198.18.0.2").setProtocol(6)
                        .setTtl(64).setDscp(0).setEcn(0).setIpId(1L).setTotalLength(60).setDontFragment(true)
                        .setMoreFragments(false).setFragmentOffset(0).build())
                .setTcp(Tcp.newBuilder().setSrcPort(40000).setDstPort(80).setSeq(1000L).setAck(0L).setFlags(2)
                        .setFlagNames("SYN").setWindow(64240).setHeaderLength(40)
                        .setOptions(TcpOptions.newBuilder().setMss(1460).setWindowScale(7).setSackPermitted(true)
                                .setTsVal(1L).setTsEcr(0L).build())
                        .build())
                .setCommunityId(flow).setPacketHash(hash).setSampleRate(1)
                .build();
    }

    /** A plain Sighting for the pure helpers. */
    static Sighting sighting(String host, String ifName, String direction, long captureNs, Long alignedNs,
            Long errorNs) {
        return new Sighting(host, ifName, direction, captureNs, alignedNs, errorNs, alignedNs == null ? null : REFERENCE);
    }
}
