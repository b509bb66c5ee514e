package io.headerlog.streams.flows;

import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.streams.L4Ports;
import java.util.Objects;

/**
 * One direction of a flow at one observation point: the kernel's flow key (interface, direction,
 * addresses, protocol, ports in packet order) plus the host and the Community ID. It is the unit
 * both sides are counted in — the kernel's exact counters and the header records — so an estimate
 * and its exact counterpart meet exactly when they describe the same packets. Host + interface +
 * direction alone would not do: on loopback, and on a router's interface, both directions of a flow
 * pass one interface in one direction.
 *
 * @param srcPort TCP/UDP port, 0 for other protocols (as the kernel keys flows)
 */
record FlowPoint(String communityId, String host, String ifName, String direction, int ipVersion, int protocol,
        String src, int srcPort, String dst, int dstPort) {

    /** Separates the fields of a store key; cannot occur in host ids, interface names or addresses. */
    private static final char SEP = '\u001f';

    FlowPoint {
        Objects.requireNonNull(communityId, "communityId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(ifName, "ifName");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
    }

    /**
     * The point a header record counts at; null when it has none: not IP (the kernel counts IP flows
     * only) or without a Community ID (nothing to key it by).
     */
    static FlowPoint of(String key, PacketHeader h) {
        Ip ip = h.getIp();
        String flow = key != null ? key : h.getCommunityId();
        if (ip == null || flow == null) {
            return null;
        }
        L4Ports ports = L4Ports.of(h);
        return new FlowPoint(flow, h.getHost(), h.getIfName(), h.getDirection(), ip.getVersion(), ip.getProtocol(),
                ip.getSrc(), ports == null ? 0 : ports.src(), ip.getDst(), ports == null ? 0 : ports.dst());
    }

    /** The point a flows.raw record describes. */
    static FlowPoint of(String key, FlowSummary f) {
        return new FlowPoint(key != null ? key : f.getCommunityId(), f.getHost(), f.getIfName(), f.getDirection(),
                f.getIpVersion(), f.getProtocol(), f.getSrc(), f.getSrcPort(), f.getDst(), f.getDstPort());
    }

    /**
     * Store key of this point's window starting at {@code windowStartNs}. The window start leads, so
     * the keys of one window sort together when someone inspects the store.
     */
    String storeKey(long windowStartNs) {
        return new StringBuilder(96).append(windowStartNs).append(SEP).append(communityId).append(SEP).append(host)
                .append(SEP).append(ifName).append(SEP).append(direction).append(SEP).append(protocol).append(SEP)
                .append(src).append(SEP).append(srcPort).append(SEP).append(dst).append(SEP).append(dstPort).toString();
    }
}
