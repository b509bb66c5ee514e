package io.headerlog.collector.bpf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The kernel's counters of one flow as one hook saw it, from its first packet (or the restart after an
 * active timeout) to its last one before it was {@link FlowTable#collect collected}. Counted before
 * sampling: exact whatever the sample rate.
 *
 * @param ifindex     interface index in the capture namespace
 * @param direction   the hook that saw it
 * @param ipVersion   4 or 6
 * @param protocol    IP protocol (after IPv6 extension headers)
 * @param srcAddr     source address, 4 bytes (IPv4) or 16 (IPv6), network order
 * @param dstAddr     destination address
 * @param srcPort     TCP/UDP source port; 0 for other protocols
 * @param dstPort     TCP/UDP destination port; 0 for other protocols
 * @param packets     wire packets (a GSO/GRO super-packet counts its segments)
 * @param bytes       wire bytes including the link-layer header (each segment of a super-packet with its
 *                    own headers)
 * @param firstSeenNs CLOCK_MONOTONIC time of the first packet counted here
 * @param lastSeenNs  CLOCK_MONOTONIC time of the last packet counted here
 * @param tcpFlags    OR of the TCP flags seen (FIN=0x01 … CWR=0x80, AE=0x100); 0 for other protocols
 * @param reason      why the entry was taken out of the table
 */
public record FlowEntry(
        int ifindex,
        Direction direction,
        int ipVersion,
        int protocol,
        byte[] srcAddr,
        byte[] dstAddr,
        int srcPort,
        int dstPort,
        long packets,
        long bytes,
        long firstSeenNs,
        long lastSeenNs,
        int tcpFlags,
        EndReason reason) {

    /** Why a flow entry was emitted. */
    public enum EndReason {
        /** No packet for the idle timeout: the flow is over (or paused). */
        IDLE,
        /** The flow lasted the active timeout: its counts so far are emitted and counting restarts from 0. */
        ACTIVE,
        /** Emitted by {@link FlowTable#drainAll()} when the collector stops. */
        SHUTDOWN
    }

    public FlowEntry {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(reason, "reason");
        srcAddr = srcAddr.clone();
        dstAddr = dstAddr.clone();
    }

    public InetAddress srcAddress() {
        return address(srcAddr);
    }

    public InetAddress dstAddress() {
        return address(dstAddr);
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a flow address has " + raw.length + " bytes", e);
        }
    }

    @Override
    public byte[] srcAddr() {
        return srcAddr.clone();
    }

    @Override
    public byte[] dstAddr() {
        return dstAddr.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowEntry f && f.ifindex == ifindex && f.direction == direction && f.ipVersion == ipVersion
                && f.protocol == protocol && Arrays.equals(f.srcAddr, srcAddr) && Arrays.equals(f.dstAddr, dstAddr)
                && f.srcPort == srcPort && f.dstPort == dstPort && f.packets == packets && f.bytes == bytes
                && f.firstSeenNs == firstSeenNs && f.lastSeenNs == lastSeenNs && f.tcpFlags == tcpFlags
                && f.reason == reason;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ifindex, direction, protocol, Arrays.hashCode(srcAddr), Arrays.hashCode(dstAddr), srcPort,
                dstPort, packets, bytes, firstSeenNs);
    }

    @Override
    public String toString() {
        return "FlowEntry[if=" + ifindex + " " + direction.name().toLowerCase() + " proto=" + protocol + " "
                + srcAddress().getHostAddress() + ":" + srcPort + " > " + dstAddress().getHostAddress() + ":" + dstPort
                + " packets=" + packets + " bytes=" + bytes + " first=" + firstSeenNs + " last=" + lastSeenNs
                + " tcp=0x" + Integer.toHexString(tcpFlags) + " " + reason + "]";
    }
}
