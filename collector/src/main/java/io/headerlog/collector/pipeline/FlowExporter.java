package io.headerlog.collector.pipeline;

import io.headerlog.collector.FlowConfig;
import io.headerlog.collector.bpf.FlowEntry;
import io.headerlog.collector.bpf.FlowTable;
import io.headerlog.collector.decode.AddressFormat;
import io.headerlog.collector.decode.CommunityId;
import io.headerlog.collector.decode.TcpFlags;
import io.headerlog.collector.sink.RecordSink;
import io.headerlog.collector.time.WallClock;
import io.headerlog.schema.FlowSummary;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Takes finished flows (idle, or past the active timeout) out of the kernel's flow table and publishes
 * their exact counters as FlowSummary records. Runs on the reader thread at the stats interval, and
 * once more at shutdown for everything left.
 */
public final class FlowExporter {
    private final FlowTable table;
    private final FlowConfig config;
    private final String host;
    private final IntFunction<String> ifNames;
    private final WallClock clock;
    private final RecordSink sink;
    private final CommunityId communityId = new CommunityId();
    private long exported;

    public FlowExporter(FlowTable table, FlowConfig config, String host, IntFunction<String> ifNames,
                        WallClock clock, RecordSink sink) {
        this.table = table;
        this.config = config;
        this.host = host;
        this.ifNames = ifNames;
        this.clock = clock;
        this.sink = sink;
    }

    /** Publishes the flows that are due now. */
    public void exportDue(long nowMonoNs) {
        if (table.enabled()) {
            publish(table.collect(nowMonoNs, config.idleTimeout(), config.activeTimeout()));
        }
    }

    /** Publishes every flow still counted (at shutdown, after the links are gone). */
    public void exportAll() {
        if (table.enabled()) {
            publish(table.drainAll());
        }
    }

    /** FlowSummary records handed to the sink so far. */
    public long exported() {
        return exported;
    }

    private void publish(List<FlowEntry> entries) {
        for (FlowEntry e : entries) {
            sink.publishFlow(toRecord(e));
            exported++;
        }
    }

    FlowSummary toRecord(FlowEntry e) {
        byte[] src = e.srcAddr();
        byte[] dst = e.dstAddr();
        int len = e.ipVersion() == 4 ? 4 : 16;
        boolean ported = e.protocol() == CommunityId.PROTO_TCP || e.protocol() == CommunityId.PROTO_UDP
                || e.protocol() == CommunityId.PROTO_SCTP;
        // the kernel counts ICMP per address pair (no type/code), so its id is the port-less one
        String id = communityId.flow(src, 0, dst, 0, len, e.protocol(), ported, e.srcPort(), e.dstPort());
        return FlowSummary.newBuilder()
                .setHost(host)
                .setIfIndex(e.ifindex())
                .setIfName(ifNames.apply(e.ifindex()))
                .setDirection(e.direction().name().toLowerCase(Locale.ROOT))
                .setIpVersion(e.ipVersion())
                .setProtocol(e.protocol())
                .setSrc(len == 4 ? AddressFormat.ipv4(src, 0) : AddressFormat.ipv6(src, 0))
                .setDst(len == 4 ? AddressFormat.ipv4(dst, 0) : AddressFormat.ipv6(dst, 0))
                .setSrcPort(e.srcPort())
                .setDstPort(e.dstPort())
                .setCommunityId(id)
                .setPackets(e.packets())
                .setBytes(e.bytes())
                .setFirstSeenNs(clock.toEpochNanos(e.firstSeenNs()))
                .setLastSeenNs(clock.toEpochNanos(e.lastSeenNs()))
                .setTcpFlags(e.tcpFlags())
                .setTcpFlagNames(TcpFlags.names(e.tcpFlags()))
                .setEndReason(e.reason().name().toLowerCase(Locale.ROOT))
                .build();
    }
}
