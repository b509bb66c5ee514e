package io.headerlog.tools.view;

import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;

/** The protocol column a packet is counted in, from the IP protocol number after extension headers. */
public enum ProtocolClass {
    TCP("TCP"), UDP("UDP"), ICMP("ICMP"), ICMPV6("ICMPv6"), OTHER("other");

    private final String label;

    ProtocolClass(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The class of an IP packet's L4 protocol; non-IP frames have no class (see {@link IpVersion}). */
    public static ProtocolClass of(Ip ip) {
        return switch (ip.getProtocol()) {
            case 6 -> TCP;
            case 17 -> UDP;
            case 1 -> ICMP;
            case 58 -> ICMPV6;
            default -> OTHER;
        };
    }

    /** The row a packet is counted in: IPv4, IPv6 or non-IP (ARP, LLDP, …). */
    public enum IpVersion {
        IPV4("IPv4"), IPV6("IPv6"), NON_IP("non-IP");

        private final String label;

        IpVersion(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static IpVersion of(PacketHeader header) {
            Ip ip = header.getIp();
            if (ip == null) {
                return NON_IP;
            }
            return ip.getVersion() == 6 ? IPV6 : IPV4;
        }
    }
}
