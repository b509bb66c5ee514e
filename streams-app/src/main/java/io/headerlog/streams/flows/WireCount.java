package io.headerlog.streams.flows;

import io.headerlog.schema.PacketHeader;

/**
 * What one header record stands for on the wire, counted the way the kernel's flow counters count
 * (capture.bpf.c, flow accounting), so that estimate and exact count measure the same thing:
 *
 * <ul>
 *   <li>packets: a GSO/GRO super-packet is {@code gsoSegs} wire packets (the live view counts wire
 *   packets the same way: gsoSegs × sample rate);</li>
 *   <li>bytes: the super-packet's length plus, for each further segment, one more copy of its
 *   headers ({@code packetLength − payloadLength}) — each segment on the wire carries its own. The
 *   kernel adds those only when it located the L4 payload; a record without TCP/UDP gets none.</li>
 * </ul>
 *
 * One known difference: on a link whose NIC strips the outer VLAN tag into metadata, the collector
 * adds the tag's 4 bytes back to packetLength while the kernel's byte counter does not, so estimated
 * bytes there run 4 bytes per packet above the exact ones.
 */
final class WireCount {
    private WireCount() {
    }

    /** Wire packets of the record's packet (before sampling is undone). */
    static long packets(PacketHeader h) {
        return Math.max(1, h.getGsoSegs());
    }

    /** Wire bytes of the record's packet, link-layer header included. */
    static long bytes(PacketHeader h) {
        long segs = packets(h);
        long bytes = Math.max(0, h.getPacketLength());
        if (segs > 1 && (h.getTcp() != null || h.getUdp() != null)) {
            long headers = Math.max(0, (long) h.getPacketLength() - h.getPayloadLength());
            bytes += (segs - 1) * headers;
        }
        return bytes;
    }
}
