package io.headerlog.streams.correlate;

import io.headerlog.schema.CorrelatedPacket;
import io.headerlog.schema.PacketHop;
import io.headerlog.schema.PacketObservation;
import java.util.ArrayList;
import java.util.List;

/** Builds the CorrelatedPacket record of a closed packet: path order, hops, end-to-end delay. */
final class CorrelatedPackets {
    static final String CLOSED_BY_WINDOW = "window";
    static final String CLOSED_BY_IDLE = "idle";
    static final String CLOSED_BY_EVICTION = "evicted";
    static final String CLOSED_BY_SUPERSEDED = "superseded";

    static final String LINK = "link";
    static final String IN_HOST = "in-host";

    private CorrelatedPackets() {
    }

    static CorrelatedPacket toRecord(OpenPacket p, String closedBy, long nowMs) {
        List<Sighting> ordered = PathOrder.order(p.sightings());
        PathTiming.Result timing = PathTiming.of(ordered);
        List<PacketObservation> observations = new ArrayList<>(ordered.size());
        for (Sighting s : ordered) {
            observations.add(PacketObservation.newBuilder()
                    .setHost(s.host()).setIfName(s.ifName()).setDirection(s.direction())
                    .setCaptureTimeNs(s.captureTimeNs()).setAlignedTimeNs(s.alignedTimeNs())
                    .setClockErrorNs(s.clockErrorNs()).setClockReference(s.clockReference())
                    .build());
        }
        List<PacketHop> hops = new ArrayList<>(timing.hops().size());
        for (PathTiming.Hop h : timing.hops()) {
            hops.add(PacketHop.newBuilder()
                    .setFromIndex(h.from()).setToIndex(h.to()).setFromHost(h.fromHost()).setToHost(h.toHost())
                    .setKind(h.inHost() ? IN_HOST : LINK).setDelayNs(h.delayNs()).setErrorNs(h.errorNs())
                    .build());
        }
        PacketSummary summary = p.summary();
        return CorrelatedPacket.newBuilder()
                .setCommunityId(p.communityId()).setPacketHash(p.packetHash())
                .setSrc(summary.src()).setDst(summary.dst()).setProtocol(summary.protocol())
                .setSrcPort(summary.srcPort()).setDstPort(summary.dstPort()).setSampleRate(summary.sampleRate())
                .setObservations(observations).setHops(hops).setHostCount(p.hostCount())
                .setAligned(timing.aligned()).setClockReference(timing.reference())
                .setEndToEndDelayNs(timing.endToEndNs()).setEndToEndErrorNs(timing.endToEndErrorNs())
                .setWindowStartNs(p.startNs()).setClosedBy(closedBy).setCorrelatedAtMs(nowMs)
                .build();
    }
}
