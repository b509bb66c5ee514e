package io.headerlog.streams;

import io.headerlog.schema.PacketHeader;

/**
 * A header record's transport ports: TCP's or UDP's, whichever the record carries. One place for the
 * rule, which every function that identifies a flow or a packet by its 5-tuple needs.
 */
public record L4Ports(int src, int dst) {

    /** The ports of {@code h}, or null when it has neither a TCP nor a UDP header. */
    public static L4Ports of(PacketHeader h) {
        if (h.getTcp() != null) {
            return new L4Ports(h.getTcp().getSrcPort(), h.getTcp().getDstPort());
        }
        if (h.getUdp() != null) {
            return new L4Ports(h.getUdp().getSrcPort(), h.getUdp().getDstPort());
        }
        return null;
    }
}
