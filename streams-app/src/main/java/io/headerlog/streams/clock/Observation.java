package io.headerlog.streams.clock;

import java.util.Objects;
import java.util.Optional;

/**
 * One host's sighting of a packet that takes part in a request/response exchange, the input of
 * {@link HandshakeMatcher}.
 *
 * @param host       the observing host (collector host id)
 * @param egress     true when the packet was leaving the host, false when arriving
 * @param timeNs     capture time on the host's own clock, ns since the epoch
 * @param packetHash the packet's trajectory label (PacketHeader.packetHash): equal at every host that
 *                   sees the same packet, which is what pairs a departure with an arrival
 * @param flowKey    the flow's Community ID (the record key of headers.raw); request and response
 *                   of one exchange share it
 * @param role       whether the packet is the exchange's request or its response
 * @param exchange   which exchange of the flow the packet belongs to, e.g. {@code "tcp-syn"} for the
 *                   handshake or {@code "icmp-echo:7:1"}; request and response carry the same value
 */
public record Observation(String host, boolean egress, long timeNs, long packetHash, String flowKey, Role role,
        String exchange) {

    /** The request travels from the requester to the responder, the response back. */
    public enum Role { REQUEST, RESPONSE }

    /** Exchange id of a TCP handshake: the SYN is the request, the SYN-ACK the response. */
    public static final String TCP_HANDSHAKE = "tcp-syn";

    // TCP flag bits as PacketHeader.tcp.flags carries them.
    static final int FIN = 1;
    static final int SYN = 2;
    static final int RST = 4;
    static final int ACK = 16;

    public Observation {
        requireText("host", host);
        requireText("flow key", flowKey);
        requireText("exchange", exchange);
        Objects.requireNonNull(role, "role must be set");
    }

    /**
     * The observation a TCP packet makes, if it is part of a handshake: SYN without ACK is the
     * request, SYN+ACK the response. Anything else (data, plain ACKs, SYNs with RST or FIN, which
     * no regular handshake sends) is of no use to the clock model and gives empty.
     */
    public static Optional<Observation> tcpHandshake(String host, boolean egress, long timeNs, long packetHash,
            String flowKey, int tcpFlags) {
        if ((tcpFlags & SYN) == 0 || (tcpFlags & (RST | FIN)) != 0) {
            return Optional.empty();
        }
        Role role = (tcpFlags & ACK) == 0 ? Role.REQUEST : Role.RESPONSE;
        return Optional.of(new Observation(host, egress, timeNs, packetHash, flowKey, role, TCP_HANDSHAKE));
    }

    /**
     * An ICMP(v6) echo request or reply. The Community ID gives request and reply the same flow key;
     * id and sequence number tell the pings of one flow apart.
     */
    public static Observation icmpEcho(String host, boolean egress, long timeNs, long packetHash, String flowKey,
            boolean reply, int echoId, int echoSeq) {
        return new Observation(host, egress, timeNs, packetHash, flowKey, reply ? Role.RESPONSE : Role.REQUEST,
                "icmp-echo:" + echoId + ":" + echoSeq);
    }

    /** A DNS query or response on one flow, told apart by the DNS message id. */
    public static Observation dns(String host, boolean egress, long timeNs, long packetHash, String flowKey,
            boolean response, int dnsId) {
        return new Observation(host, egress, timeNs, packetHash, flowKey, response ? Role.RESPONSE : Role.REQUEST,
                "dns:" + dnsId);
    }

    private static void requireText(String name, String value) {
        Objects.requireNonNull(value, name + " must be set");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
