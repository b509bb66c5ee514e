package io.headerlog.testing;

/** EtherTypes, IP protocol numbers and TCP flag bits, as {@link PacketBuilder} and the tests use them. */
public final class Protocols {
    private Protocols() {}

    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_IPV6 = 0x86DD;
    public static final int ETH_P_8021Q = 0x8100;
    public static final int ETH_P_8021AD = 0x88A8;

    public static final int IPPROTO_HOPOPTS = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_ROUTING = 43;
    public static final int IPPROTO_FRAGMENT = 44;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPPROTO_DSTOPTS = 60;

    public static final int TH_FIN = 0x01;
    public static final int TH_SYN = 0x02;
    public static final int TH_RST = 0x04;
    public static final int TH_PSH = 0x08;
    public static final int TH_ACK = 0x10;
    public static final int TH_URG = 0x20;
    public static final int TH_ECE = 0x40;
    public static final int TH_CWR = 0x80;
    /** AE (accurate ECN, formerly NS): the low bit of the data offset byte. */
    public static final int TH_AE = 0x100;
}
