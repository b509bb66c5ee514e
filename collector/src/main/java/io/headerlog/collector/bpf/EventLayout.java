package io.headerlog.collector.bpf;

/**
 * Byte offsets of {@code struct hl_event} and {@code struct hl_config} from {@code bpf/capture.h}, the
 * only definition of the kernel → collector record. EventLayoutTest compiles a probe of that header and
 * checks every constant here, so the two cannot drift apart silently.
 *
 * <p>Multi-byte integers are host order (read with {@code ByteOrder.nativeOrder()}); addresses and MACs
 * are network-order byte arrays.
 */
public final class EventLayout {
    private EventLayout() {}

    public static final int MONO_NS = 0;
    public static final int IFINDEX = 8;
    public static final int PKT_LEN = 12;
    public static final int PAYLOAD_LEN = 16;
    public static final int GSO_SEGS = 20;
    public static final int SNAP_LEN = 22;
    public static final int DIRECTION = 24;
    public static final int PARSE_FLAGS = 25;
    public static final int VLAN_COUNT = 26;
    public static final int IP_VERSION = 27;
    public static final int VLAN_IDS = 28;
    public static final int ETH_DST = 32;
    public static final int ETH_SRC = 38;
    public static final int ETH_TYPE = 44;
    public static final int IP_PROTO = 46;
    public static final int IP_TTL = 47;
    public static final int IP_TOS = 48;
    public static final int IP_FRAG_FLAGS = 49;
    public static final int IP_FRAG_OFF = 50;
    public static final int IP_ID = 52;
    public static final int IP_FLOW_LABEL = 56;
    public static final int IP_TOTAL_LEN = 60;
    public static final int L4_HDR_LEN = 62;
    public static final int IP_SRC = 64;
    public static final int IP_DST = 80;
    public static final int SPORT = 96;
    public static final int DPORT = 98;
    public static final int TCP_SEQ = 100;
    public static final int TCP_ACK = 104;
    public static final int TCP_WINDOW = 108;
    public static final int TCP_FLAGS = 110;
    public static final int TCP_TS_VAL = 112;
    public static final int TCP_TS_ECR = 116;
    public static final int TCP_MSS = 120;
    public static final int TCP_WSCALE = 122;
    public static final int TCP_OPTS = 123;
    public static final int UDP_LEN = 124;
    public static final int ICMP_TYPE = 126;
    public static final int ICMP_CODE = 127;
    public static final int ICMP_ID = 128;
    public static final int ICMP_SEQ = 130;
    public static final int PAYLOAD_OFF = 132;
    public static final int PAYLOAD = 136;
    /** sizeof(struct hl_event): the fixed part before payload[]. */
    public static final int SIZE = 136;

    /** enum hl_direction */
    public static final int DIR_INGRESS = 0;
    public static final int DIR_EGRESS = 1;

    /** parse_flags (HL_PF_*) */
    public static final int PF_TRUNCATED = 0x01;
    public static final int PF_LOAD_FAILED = 0x02;
    public static final int PF_IPV6_EXT_LIMIT = 0x04;
    public static final int PF_FRAGMENT = 0x08;
    public static final int PF_VLAN_OFFLOADED = 0x10;
    public static final int PF_L4_PARSED = 0x20;
    public static final int PF_SNAP_CUT = 0x40;
    /** Application-layer bytes (L7 start, or a TCP segment within the follow budget after one). */
    public static final int PF_L7 = 0x80;

    /** ip_frag_flags (HL_IP_*) */
    public static final int IP_DF = 0x01;
    public static final int IP_MF = 0x02;

    /** tcp_opts (HL_TCPOPT_*) */
    public static final int TCPOPT_MSS = 0x01;
    public static final int TCPOPT_WSCALE = 0x02;
    public static final int TCPOPT_SACK_PERM = 0x04;
    public static final int TCPOPT_TS = 0x08;

    /** enum hl_counter: index into the per-CPU counters map. */
    public static final int CNT_SEEN = 0;
    public static final int CNT_SUBMITTED = 1;
    public static final int CNT_RINGBUF_FULL = 2;
    public static final int CNT_LOAD_FAILED = 3;
    public static final int CNT_TRUNCATED = 4;
    public static final int CNT_IPV6_EXT_LIMIT = 5;
    public static final int CNT_NON_IP = 6;
    public static final int CNT_SNAP_CUT = 7;
    public static final int CNT_L7_START = 8;
    public static final int CNT_L7_FOLLOW = 9;
    public static final int CNT_MAX = 10;

    /** struct hl_config: the .rodata knobs written before load. */
    public static final int CFG_SNAP_LEN = 0;
    public static final int CFG_WAKEUP_BYTES = 4;
    public static final int CFG_L7_SNAP_LEN = 8;
    public static final int CFG_L7_FOLLOW_BYTES = 12;
    public static final int CFG_SIZE = 16;

    /** HL_SNAP_MAX: the largest payload prefix the kernel copies. */
    public static final int SNAP_MAX = 8192;
}
