package io.headerlog.streams.correlate;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.streams.L4Ports;

/**
 * What identifies a packet to a reader of packets.correlated: its addresses, protocol and ports,
 * taken from its first sighting. They are equal at every host (a NAT in between changes them, and
 * with them the label, so its two sides never correlate).
 *
 * @param sampleRate how many packets one record stands for (consistent sampling: equal at every host)
 */
record PacketSummary(String src, String dst, Integer protocol, Integer srcPort, Integer dstPort, long sampleRate) {

    static PacketSummary of(EnrichedHeader e) {
        PacketHeader h = e.getHeader();
        L4Ports ports = L4Ports.of(h);
        Integer srcPort = ports == null ? null : ports.src();
        Integer dstPort = ports == null ? null : ports.dst();
        if (h.getIp() == null) {
            return new PacketSummary(null, null, null, srcPort, dstPort, e.getCombinedSampleRate());
        }
        return new PacketSummary(h.getIp().getSrc(), h.getIp().getDst(), h.getIp().getProtocol(), srcPort, dstPort,
                e.getCombinedSampleRate());
    }
}
