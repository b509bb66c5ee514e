package io.headerlog.collector.bpf;

/**
 * Byte offsets and constants of {@code bpf/capture.h}, the only definition of the kernel ↔ collector
 * contract: {@code struct hl_event} (the record), {@code struct hl_config} (load-time knobs, {@code CFG_}),
 * the filter map key {@code struct hl_cidr_key} ({@code CIDR_KEY_}), the flow table entries
 * {@code struct hl_flow_key} / {@code struct hl_flow_stats} ({@code FLOW_KEY_}, {@code FLOW_}) and the
 * per-CPU flow slots {@code struct hl_flow_slot} ({@code FLOW_SLOT_}).
 * EventLayoutTest compiles a probe of that header and checks every constant here, so the two cannot
 * drift apart silently.
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
    /** Consistent-sampling hash: the packet's label across hosts (0 when not IP). */
    public static final int PACKET_HASH = 136;
    /** The rate the record was kept at (1 when kept regardless of its hash). */
    public static final int SAMPLE_RATE = 144;
    /** Why the record was kept: {@code KEEP_*}. */
    public static final int KEEP_REASON = 148;
    public static final int PAYLOAD = 152;
    /** sizeof(struct hl_event): the fixed part before payload[]. */
    public static final int SIZE = 152;

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

    /** enum hl_counter: index into one CPU's counters (struct hl_cpu_counters). */
    public static final int CNT_SEEN = 0;
    public static final int CNT_SUBMITTED = 1;
    public static final int CNT_RINGBUF_FULL = 2;
    public static final int CNT_SAMPLED_OUT = 3;
    public static final int CNT_FILTERED = 4;
    public static final int CNT_SNAP_CUT = 5;
    public static final int CNT_L7_START = 6;
    public static final int CNT_L7_FOLLOW = 7;
    public static final int CNT_LOAD_FAILED = 8;
    public static final int CNT_TRUNCATED = 9;
    public static final int CNT_IPV6_EXT_LIMIT = 10;
    public static final int CNT_NON_IP = 11;
    public static final int CNT_FLOW_TABLE_FULL = 12;
    public static final int CNT_MAX = 13;
    /** HL_CNT_STRIDE: counters per CPU in the counters map, the used ones and zeros (128 bytes). */
    public static final int CNT_STRIDE = 16;

    /** keep_reason (HL_KEEP_*) */
    public static final int KEEP_SAMPLED = 0;
    public static final int KEEP_TCP_CONTROL = 1;
    public static final int KEEP_L7 = 2;
    public static final int KEEP_NOT_IP = 3;

    /** hl_config.keep_flags (HL_KEEPF_*) */
    public static final int KEEPF_TCP_CONTROL = 0x01;
    public static final int KEEPF_L7 = 0x02;

    /** HL_SAMPLE_RATE_MAX: the largest sample rate N (keep 1 in N). */
    public static final int SAMPLE_RATE_MAX = 1 << 20;

    /** The packet hash (HL_HASH_*): seed, MurmurHash3 constants and the number of 64-bit words. */
    public static final long HASH_SEED = 0x686561646572L;
    public static final long HASH_C1 = 0x87c37b91114253d5L;
    public static final long HASH_C2 = 0x4cf5ad432745937fL;
    public static final int HASH_WORDS = 10;

    /** struct hl_config: the .rodata knobs written before load. */
    public static final int CFG_SNAP_LEN = 0;
    public static final int CFG_WAKEUP_BYTES = 4;
    public static final int CFG_L7_SNAP_LEN = 8;
    public static final int CFG_L7_FOLLOW_BYTES = 12;
    public static final int CFG_SAMPLE_RATE = 16;
    public static final int CFG_KEEP_FLAGS = 20;
    public static final int CFG_FLOW_ENTRIES = 24;
    public static final int CFG_FLOW_SLOTS = 28;
    public static final int CFG_SIZE = 32;

    /** Filter actions (HL_FILTER_*), the value of every filter map entry. */
    public static final int FILTER_ALLOW = 1;
    public static final int FILTER_DENY = 2;

    /** Elements of hl_control: the filter state (HL_FS_* bits) and the flow slot half the programs fill. */
    public static final int CTL_FILTER_STATE = 0;
    public static final int CTL_FLOW_GEN = 1;

    /** hl_control[CTL_FILTER_STATE] bits (HL_FS_*): which kinds of rules exist. */
    public static final int FS_CIDR_ALLOW = 0x01;
    public static final int FS_CIDR_DENY = 0x02;
    public static final int FS_PORT_ALLOW = 0x04;
    public static final int FS_PORT_DENY = 0x08;
    public static final int FS_PROTO_ALLOW = 0x10;
    public static final int FS_PROTO_DENY = 0x20;

    /** Capacity of the filter maps (HL_CIDR_RULES_MAX, HL_PORT_RULES_MAX). */
    public static final int CIDR_RULES_MAX = 16384;
    public static final int PORT_RULES_MAX = 65536;

    /** struct hl_cidr_key: the LPM trie key (prefix length in bits, 16 address bytes). */
    public static final int CIDR_KEY_PREFIXLEN = 0;
    public static final int CIDR_KEY_ADDR = 4;
    public static final int CIDR_KEY_SIZE = 20;

    /** struct hl_flow_key: one observed flow (interface, direction, addresses, protocol, ports). */
    public static final int FLOW_KEY_IFINDEX = 0;
    public static final int FLOW_KEY_DIRECTION = 4;
    public static final int FLOW_KEY_IP_VERSION = 5;
    public static final int FLOW_KEY_IP_PROTO = 6;
    public static final int FLOW_KEY_SADDR = 8;
    public static final int FLOW_KEY_DADDR = 24;
    public static final int FLOW_KEY_SPORT = 40;
    public static final int FLOW_KEY_DPORT = 42;
    public static final int FLOW_KEY_SIZE = 44;

    /** struct hl_flow_stats: the counters of one flow table entry. */
    public static final int FLOW_PACKETS = 0;
    public static final int FLOW_BYTES = 8;
    public static final int FLOW_FIRST_SEEN_NS = 16;
    public static final int FLOW_LAST_SEEN_NS = 24;
    public static final int FLOW_TCP_FLAGS = 32;
    public static final int FLOW_SIZE = 40;

    /** struct hl_flow_slot: an element of hl_flow_slots (a key and its stats, padded to 128 bytes). */
    public static final int FLOW_SLOT_KEY = 0;
    public static final int FLOW_SLOT_STATE = 48;
    public static final int FLOW_SLOT_STATS = 56;
    public static final int FLOW_SLOT_SIZE = 128;
    /** HL_FLOW_SLOTS_MAX: per-CPU slots in each half of hl_flow_slots, at most. */
    public static final int FLOW_SLOTS_MAX = 1024;
    /** hl_flow_slot.state of a slot whose key and stats are valid (HL_SLOT_READY; 0 = empty). */
    public static final int SLOT_READY = 2;

    /** HL_SNAP_MAX: the largest payload prefix the kernel copies. */
    public static final int SNAP_MAX = 8192;
}
