package io.headerlog.streams.flows;

import io.headerlog.schema.FlowWindowSummary;

/** Builds the FlowWindowSummary record of a closed window. */
final class FlowWindowRecords {
    static final String CLOSED_BY_WINDOW = "window";
    static final String CLOSED_BY_IDLE = "idle";
    static final String CLOSED_BY_EVICTION = "evicted";

    private FlowWindowRecords() {
    }

    static FlowWindowSummary toRecord(WindowTally t, long windowEndNs, String closedBy, long nowMs) {
        FlowPoint p = t.point();
        boolean exact = t.exactRecords() > 0;
        return FlowWindowSummary.newBuilder()
                .setCommunityId(p.communityId()).setHost(p.host()).setIfName(p.ifName()).setDirection(p.direction())
                .setIpVersion(p.ipVersion()).setProtocol(p.protocol())
                .setSrc(p.src()).setDst(p.dst()).setSrcPort(p.srcPort()).setDstPort(p.dstPort())
                .setWindowStartNs(t.windowStartNs()).setWindowEndNs(windowEndNs)
                .setHeaderRecords(t.headerRecords())
                .setEstimatedPackets(t.estimatedPackets()).setEstimatedBytes(t.estimatedBytes())
                .setEstimatedPacketsError(Math.sqrt(t.packetsVariance()))
                .setEstimatedBytesError(Math.sqrt(t.bytesVariance()))
                .setMaxSampleRate(t.maxSampleRate())
                .setExactFlowRecords(t.exactRecords())
                .setExactPackets(exact ? t.exactPackets() : null)
                .setExactBytes(exact ? t.exactBytes() : null)
                .setExactFirstSeenNs(exact ? t.exactFirstSeenNs() : null)
                .setExactLastSeenNs(exact ? t.exactLastSeenNs() : null)
                .setClosedBy(closedBy)
                .setEmittedAtMs(nowMs)
                .build();
    }
}
