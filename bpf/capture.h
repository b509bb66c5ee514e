/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The kernel -> collector wire contract of headerlog.
 *
 * This header is the ONLY definition of the ring buffer record and of the
 * load-time knobs. capture.bpf.c fills it; the collector reads it through
 * io.headerlog.collector.bpf.EventLayout, whose offsets are checked against
 * this file by EventLayoutTest (it compiles a probe of this header with gcc).
 * Change both together, never one.
 *
 * All multi-byte integers are in host byte order (the collector runs on the
 * same host); addresses and MACs are byte arrays in network order.
 */
#ifndef HEADERLOG_CAPTURE_H
#define HEADERLOG_CAPTURE_H

#include <linux/types.h>

/* Payload prefix size classes. bpf_ringbuf_reserve needs a constant size, so
 * a record reserves sizeof(struct hl_event) + the smallest class that holds
 * the bytes it copies. HL_SNAP_MAX is the largest snap length accepted. */
#define HL_SNAP_CLASS_0 128
#define HL_SNAP_CLASS_1 512
#define HL_SNAP_CLASS_2 2048
#define HL_SNAP_CLASS_3 8192
#define HL_SNAP_MAX HL_SNAP_CLASS_3

/* Bounded walk over IPv6 extension headers. */
#define HL_IPV6_MAX_EXT_HEADERS 6

enum hl_direction {
	HL_DIR_INGRESS = 0,
	HL_DIR_EGRESS = 1,
};

/* hl_event.parse_flags: what the parser could not do. The record is still
 * emitted (fail open) with the fields it did get. */
#define HL_PF_TRUNCATED      0x01 /* a header claims more bytes than the packet holds */
#define HL_PF_LOAD_FAILED    0x02 /* bpf_skb_load_bytes failed; later fields are missing */
#define HL_PF_IPV6_EXT_LIMIT 0x04 /* more than HL_IPV6_MAX_EXT_HEADERS extension headers */
#define HL_PF_FRAGMENT       0x08 /* a non-first fragment: there is no L4 header */
#define HL_PF_VLAN_OFFLOADED 0x10 /* the outer VLAN tag came from skb metadata */
#define HL_PF_L4_PARSED      0x20 /* the L4 header fields (ports, tcp_*, udp_*, icmp_*) are set */
#define HL_PF_SNAP_CUT       0x40 /* the payload is longer than the bytes copied */
#define HL_PF_L7             0x80 /* application-layer bytes: an HTTP/1.x, TLS hello or DNS message
                                   * starts here, or a TCP segment follows such a start within the
                                   * byte budget; up to l7_snap_len bytes were copied (capture.bpf.c,
                                   * hl_l7) */

/* hl_event.ip_frag_flags */
#define HL_IP_DF 0x01
#define HL_IP_MF 0x02

/* hl_event.tcp_opts: which TCP options were present */
#define HL_TCPOPT_MSS       0x01
#define HL_TCPOPT_WSCALE    0x02
#define HL_TCPOPT_SACK_PERM 0x04
#define HL_TCPOPT_TS        0x08

/* Per-CPU counters (map hl_counters: one struct hl_cpu_counters per possible
 * CPU, indexed by CPU id; the collector adds them up per index). Every
 * packet the program runs on is counted once in SEEN and then exactly once in
 * one of FILTERED, SAMPLED_OUT, SUBMITTED or RINGBUF_FULL, in that order of
 * decision (filters first, then sampling, then the ring):
 *
 *   SEEN = FILTERED + SAMPLED_OUT + SUBMITTED + RINGBUF_FULL
 *
 * The other counters are informational and overlap with those. They count
 * packets that passed the filters (sampled in or out), so they describe the
 * observed traffic whatever the sample rate; LOAD_FAILED also counts failed
 * payload copies of submitted records. FLOW_TABLE_FULL counts IP packets that
 * passed the filters but are in no flow counter because the flow table had no
 * room for a new flow (see hl_flows). */
enum hl_counter {
	/* The ones a packet commonly touches come first, within 8 entries, so
	 * they share the first cache line of their CPU's struct hl_cpu_counters. */
	HL_CNT_SEEN = 0,
	HL_CNT_SUBMITTED = 1,
	HL_CNT_RINGBUF_FULL = 2,
	HL_CNT_SAMPLED_OUT = 3,      /* not selected by consistent sampling (hl_event.packet_hash) */
	HL_CNT_FILTERED = 4,         /* dropped by the filter maps (hl_filter) */
	HL_CNT_SNAP_CUT = 5,
	HL_CNT_L7_START = 6,  /* packets whose payload starts an HTTP/1.x, TLS hello or DNS message */
	HL_CNT_L7_FOLLOW = 7, /* TCP segments copied with l7_snap_len because they follow an L7 start */
	HL_CNT_LOAD_FAILED = 8,
	HL_CNT_TRUNCATED = 9,
	HL_CNT_IPV6_EXT_LIMIT = 10,
	HL_CNT_NON_IP = 11,
	HL_CNT_FLOW_TABLE_FULL = 12, /* IP packets not counted in hl_flows: no room for their flow */
	HL_CNT__MAX = 13,
};

/* One CPU's counters: an element of hl_counters, two whole cache lines (the
 * map is BPF_F_MMAPABLE, which starts its elements on a page boundary), so no
 * two CPUs ever write the same line. A plain array indexed by CPU rather than
 * a per-CPU array: a per-CPU array reaches each value through a pointer table
 * in the map, one more cache line per packet that under load is a miss. */
#define HL_CNT_STRIDE 16

struct hl_cpu_counters {
	__u64 c[HL_CNT_STRIDE]; /* 0 indexed by enum hl_counter; the rest is zero */
};

_Static_assert(HL_CNT__MAX <= HL_CNT_STRIDE, "every counter needs a place in struct hl_cpu_counters");

/* Load-time knobs: the one `const volatile` global of capture.bpf.c, so it
 * sits at offset 0 of .rodata and the collector writes it before load. */
struct hl_config {
	__u32 snap_len;        /* payload bytes to copy per packet, 0..HL_SNAP_MAX */
	__u32 wakeup_bytes;    /* force a reader wakeup once this many bytes wait; 0 = never */
	__u32 l7_snap_len;     /* payload bytes to copy for HL_PF_L7 packets, 0..HL_SNAP_MAX; the larger
	                        * of this and snap_len applies */
	__u32 l7_follow_bytes; /* after a TCP L7 start, this many more payload bytes of the same flow
	                        * and direction are copied as L7 too; 0 = off */
	__u32 sample_rate;     /* 1 = keep every packet; N = keep the IP packets whose packet_hash
	                        * selects them (about 1 in N), 1..HL_SAMPLE_RATE_MAX; 0 acts as 1 */
	__u32 keep_flags;      /* HL_KEEPF_*: packets kept whatever their hash */
	__u32 flow_entries;    /* capacity of each of the two flow tables (hl_flows); 0 = no flow counters */
	__u32 flow_slots;      /* per-CPU flow slots in each half of hl_flow_slots: a power of two up to
	                        * HL_FLOW_SLOTS_MAX, or 0 = none (every flow goes to the hash tables) */
};

#define HL_SAMPLE_RATE_MAX (1 << 20)

/* hl_config.keep_flags */
#define HL_KEEPF_TCP_CONTROL 0x01 /* TCP segments with SYN, FIN or RST */
#define HL_KEEPF_L7          0x02 /* packets flagged HL_PF_L7 (an L7 start or its follow segments) */

/* hl_event.keep_reason: why the record was kept. */
#define HL_KEEP_SAMPLED     0 /* the hash selected it (sample_rate = hl_config.sample_rate) */
#define HL_KEEP_TCP_CONTROL 1 /* HL_KEEPF_TCP_CONTROL (sample_rate = 1) */
#define HL_KEEP_L7          2 /* HL_KEEPF_L7 (sample_rate = 1) */
#define HL_KEEP_NOT_IP      3 /* not IP: no hash, never sampled out (sample_rate = 1, packet_hash = 0) */

/*
 * Consistent (trajectory) sampling, RFC 5475 hash-based selection.
 *
 * packet_hash is a 64-bit hash of header fields that do not change while a
 * packet crosses hosts, so every observer that sees the packet computes the
 * same value: it is the packet's label for matching observations across
 * hosts, and it decides sampling the same way everywhere. It never covers
 * TTL/hop limit, checksums, DSCP/ECN, the IPv6 flow label or anything of the
 * link layer. It is computed for every IP packet that passes the filters,
 * whatever the sample rate.
 *
 * Inputs are the hl_event fields below, which are 0 where the packet has no
 * such field (e.g. ports of ICMP, tcp_* of UDP, ip_id of IPv6 without a
 * fragment header). Ten 64-bit words, in this order:
 *
 *   w0 = ip_version << 56 | ip_proto << 48 | tcp_flags << 32 | payload_len
 *   w1 = ip_src bytes 0..7, big-endian (IPv4: the address, then zeros)
 *   w2 = ip_src bytes 8..15, big-endian
 *   w3 = ip_dst bytes 0..7, big-endian
 *   w4 = ip_dst bytes 8..15, big-endian
 *   w5 = sport << 48 | dport << 32 | ip_id
 *   w6 = tcp_seq << 32 | tcp_ack
 *   w7 = tcp_ts_val << 32 | tcp_ts_ecr
 *   w8 = icmp_type << 40 | icmp_code << 32 | icmp_id << 16 | icmp_seq
 *   w9 = the first min(8, payload_len) payload bytes (from payload_off), big-endian,
 *        zero-padded at the low end; 0 when payload_off is 0xffff
 *
 * tcp_ts_* make retransmissions and duplicate ACKs distinct packets; icmp_id/
 * icmp_seq do the same for IPv6 echo (no IP ID). Packets equal in all these
 * fields share a label and are kept or dropped together: e.g. IPv6 UDP
 * datagrams of one flow with the same length and the same first 8 payload
 * bytes (IPv4 differs by IP ID; most protocols put a sequence number or an id
 * in their first bytes). payload_len is the L4 payload
 * of this skb: a GSO/GRO super-packet has one label, so two observers agree
 * only where both see the same super-packet (veth, forwarding), not where a
 * NIC segments or coalesces differently.
 *
 * Mixing: MurmurHash3 x64 body and finaliser over the words, one lane:
 *
 *   h = HL_HASH_SEED
 *   for each word k:  k *= C1; k = rotl64(k, 31); k *= C2;
 *                     h ^= k; h = rotl64(h, 27); h = h * 5 + 0x52dce729
 *   h ^= 80 (the input length in bytes)
 *   h ^= h >> 33; h *= 0xff51afd7ed558ccd; h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53; h ^= h >> 33
 *
 * (all arithmetic mod 2^64). io.headerlog.collector.decode.PacketHash is the
 * same function in Java.
 *
 * Test vector: an IPv4 TCP SYN 198.18.0.1:40000 > 198.18.0.2:80 with IP ID 1,
 * seq 1, ack 0, no TCP options and no payload (w0 = 0x0406000200000000,
 * w1 = 0xc612000100000000, w3 = 0xc612000200000000, w5 = 0x9c40005000000001,
 * w6 = 0x0000000100000000, all other words 0) has packet_hash
 * 0x5224d089a5ae55f0 (PacketHashTest; ConsistentSamplingIT checks the kernel).
 *
 * Selection uses the low 32 bits only: a packet is kept at rate N when
 * ((packet_hash & 0xffffffff) * N) >> 32 == 0, i.e. for ceil(2^32 / N) of the
 * 2^32 values (exactly 1/N when N is a power of two). The high 32 bits are
 * independent of that choice and stay free for a second sampling stage
 * downstream (the stream application).
 */
#define HL_HASH_SEED  0x686561646572ULL /* "header" */
#define HL_HASH_C1    0x87c37b91114253d5ULL
#define HL_HASH_C2    0x4cf5ad432745937fULL
#define HL_HASH_WORDS 10

/*
 * Kernel filters, changed at run time through map updates (no reload).
 *
 * hl_cidr_rules (LPM trie) maps a prefix to HL_FILTER_ALLOW or _DENY; IPv4
 * prefixes are stored as IPv4-mapped IPv6 (::ffff:a.b.c.d, prefixlen + 96),
 * so one trie holds both families. hl_port_rules maps a TCP/UDP port,
 * hl_proto_rules an IP protocol number (after IPv6 extension headers), to an
 * action. hl_control[HL_CTL_FILTER_STATE] holds HL_FS_* bits saying which
 * kinds of rules exist; the collector keeps them in step with the maps, and
 * with no bit set the filter costs one array read.
 *
 * An IP packet is filtered out when
 *   - its source or its destination address falls under a deny prefix (the
 *     longest matching prefix decides, so "allow 198.18.0.0/15" and "deny
 *     198.18.5.0/24" together deny 198.18.5.x and allow the rest), or
 *   - it is TCP or UDP and its source or destination port is denied, or
 *   - its protocol is denied, or
 *   - an allow list is in force (HL_FS_*_ALLOW) and the packet matches none
 *     of it: neither address falls under an allow prefix; neither port is an
 *     allowed port (a packet without TCP/UDP ports, such as ICMP or a
 *     non-first fragment, never passes a port allow list); its protocol is
 *     not allowed.
 * A frame that is not IP is filtered out only when some allow list is in force.
 * A filtered packet is counted in HL_CNT_FILTERED and nothing else: no hash,
 * no flow counter, no L7 state.
 */
#define HL_FILTER_ALLOW 1
#define HL_FILTER_DENY  2

/* Elements of hl_control, the words the collector writes and every packet reads. */
#define HL_CTL_FILTER_STATE 0 /* HL_FS_* bits */
#define HL_CTL_FLOW_GEN     1 /* bit 0: which half of hl_flow_slots the programs fill */
#define HL_CTL_WORDS        2

/* hl_control[HL_CTL_FILTER_STATE] */
#define HL_FS_CIDR_ALLOW  0x01 /* hl_cidr_rules holds allow rules: the address allow list is in force */
#define HL_FS_CIDR_DENY   0x02 /* hl_cidr_rules holds deny rules */
#define HL_FS_PORT_ALLOW  0x04
#define HL_FS_PORT_DENY   0x08
#define HL_FS_PROTO_ALLOW 0x10
#define HL_FS_PROTO_DENY  0x20

#define HL_CIDR_RULES_MAX 16384
#define HL_PORT_RULES_MAX 65536

/* Key of hl_cidr_rules (the LPM trie layout: prefix length in bits, then the data). */
struct hl_cidr_key {
	__u32 prefixlen; /* 0 0..128 */
	__u8  addr[16];  /* 4 IPv6, or ::ffff:a.b.c.d for IPv4 */
};

/*
 * Flow counters, counted before sampling so volumes stay exact while packets
 * are sampled.
 *
 * One entry per observation of a flow: interface, direction, addresses,
 * protocol and ports as seen (a connection has one entry per direction and
 * per hook that sees it; packets without ports, such as ICMP or IP fragments
 * after the first, count under ports 0). Every IP packet that passes the
 * filters adds to its entry with atomic adds.
 *
 * There are two tables, hl_flows_a and hl_flows_b, and the one-slot
 * array-of-maps hl_flows says which one the programs fill. The collector
 * swaps them (a map update of hl_flows, which returns only after every
 * program run that could still see the old table has finished) and then
 * reads and empties the old one with no writer left, so no packet is lost
 * between reading and deleting. Each table so holds the flows of one
 * collection interval; when one is full, packets of flows not in it yet are
 * counted in HL_CNT_FLOW_TABLE_FULL instead.
 *
 * In front of the hash tables, each CPU has flow_slots direct-mapped slots
 * (hl_flow_slots, an array with a region of 2 * flow_slots entries per
 * possible CPU, indexed by CPU id, in two halves, one per collection interval;
 * hl_control[HL_CTL_FLOW_GEN] says which half the programs fill; a plain
 * array, not a per-CPU one, for the same reason as hl_counters). A flow goes
 * to slot (hash of its key mod flow_slots) of the CPU that sees the packet: the first
 * flow to reach a free slot claims it for the interval, later packets of that
 * flow on that CPU add to it, and every other flow that maps there goes to the
 * hash table. Why: under load a hash table lookup costs ~200 ns per packet on
 * this kind of machine, an array slot ~100. A flow seen by two CPUs has an
 * entry in each, the collector adds them up by key (as it does with the two
 * tables), so the counts stay exact. The collector flips that word before it
 * swaps hl_flows, whose grace period then covers both, and reads and empties
 * the old half with the old table.
 */
struct hl_flow_key {
	__u32 ifindex;       /*  0 */
	__u8  direction;     /*  4 enum hl_direction */
	__u8  ip_version;    /*  5 4 or 6 */
	__u8  ip_proto;      /*  6 */
	__u8  _pad;          /*  7 zeroed: the key is hashed as raw bytes */
	__u8  saddr[16];     /*  8 IPv4 uses the first 4 bytes */
	__u8  daddr[16];     /* 24 */
	__u16 sport;         /* 40 TCP/UDP ports, 0 for other protocols */
	__u16 dport;         /* 42 */
};

struct hl_flow_stats {
	__u64 packets;       /*  0 wire packets: a GSO/GRO super-packet counts gso_segs */
	__u64 bytes;         /*  8 wire bytes including the link header: skb->len, plus the headers
	                      *    (payload_off bytes) of each further segment of a super-packet */
	__u64 first_seen_ns; /* 16 bpf_ktime_get_ns() of the first packet */
	__u64 last_seen_ns;  /* 24 of the last packet; a packet that was sampled out gives the coarse
	                      *    clock (bpf_ktime_get_coarse_ns, up to one scheduler tick earlier; see
	                      *    capture()). Plain store: racing CPUs may leave one a few ns older
	                      *    than the newest */
	__u64 tcp_flags;     /* 32 OR of the tcp_flags seen (0 for other protocols); 64 bits because
	                      *    BPF's 32-bit atomics need -mcpu=v3 */
};

#define HL_FLOW_SLOTS_MAX 1024

/* hl_flow_slot.state */
#define HL_SLOT_EMPTY   0 /* free for the first flow that maps here (all zero: how the collector empties it) */
#define HL_SLOT_CLAIMED 1 /* a program is writing the key (claimed with a compare-and-swap) */
#define HL_SLOT_READY   2 /* key and stats are valid */

/* One element of hl_flow_slots: padded to two whole cache lines (the map is
 * BPF_F_MMAPABLE, so elements start at a page boundary), which is all a packet
 * that adds to its slot touches. */
struct hl_flow_slot {
	struct hl_flow_key key;     /*  0 */
	__u32 _pad;                 /* 44 */
	__u64 state;                /* 48 HL_SLOT_*; 64 bits for the compare-and-swap (see tcp_flags) */
	struct hl_flow_stats stats; /* 56 */
	__u8  _pad2[32];            /* 96 */
};

/* One captured packet. Fixed part: 152 bytes; payload[] follows. */
struct hl_event {
	__u64 mono_ns;       /*   0 bpf_ktime_get_ns(), CLOCK_MONOTONIC */
	__u32 ifindex;       /*   8 skb->ifindex */
	__u32 pkt_len;       /*  12 skb->len (GSO super-packets reach 64 KiB; a tag in skb metadata, see
	                      *     HL_PF_VLAN_OFFLOADED, is not counted) */
	__u32 payload_len;   /*  16 L4 payload bytes in this skb (not only the copied ones); see payload_off */
	__u16 gso_segs;      /*  20 skb gso_segs (0 or 1 = not a super-packet) */
	__u16 snap_len;      /*  22 payload bytes copied into payload[] */
	__u8  direction;     /*  24 enum hl_direction */
	__u8  parse_flags;   /*  25 HL_PF_* */
	__u8  vlan_count;    /*  26 0..2 */
	__u8  ip_version;    /*  27 0 = not IP, 4 or 6 */
	__u16 vlan_ids[2];   /*  28 802.1Q VLAN IDs (12 bits), outer first */
	__u8  eth_dst[6];    /*  32 */
	__u8  eth_src[6];    /*  38 */
	__u16 eth_type;      /*  44 EtherType after the VLAN tags */
	__u8  ip_proto;      /*  46 L4 protocol (after IPv6 extension headers) */
	__u8  ip_ttl;        /*  47 IPv4 TTL or IPv6 hop limit */
	__u8  ip_tos;        /*  48 DSCP << 2 | ECN (IPv6 traffic class) */
	__u8  ip_frag_flags; /*  49 HL_IP_DF | HL_IP_MF */
	__u16 ip_frag_off;   /*  50 fragment offset in 8-byte units */
	__u32 ip_id;         /*  52 IPv4 identification, or IPv6 fragment header identification */
	__u32 ip_flow_label; /*  56 IPv6 flow label (20 bits) */
	__u16 ip_total_len;  /*  60 IPv4 total length, or 40 + IPv6 payload length */
	__u16 l4_hdr_len;    /*  62 L4 header bytes (TCP data offset x 4, 8 for UDP and ICMP) */
	__u8  ip_src[16];    /*  64 IPv4 uses the first 4 bytes */
	__u8  ip_dst[16];    /*  80 */
	__u16 sport;         /*  96 TCP/UDP source port */
	__u16 dport;         /*  98 TCP/UDP destination port */
	__u32 tcp_seq;       /* 100 */
	__u32 tcp_ack;       /* 104 */
	__u16 tcp_window;    /* 108 raw, unscaled */
	__u16 tcp_flags;     /* 110 FIN=0x01 SYN RST PSH ACK URG ECE CWR=0x80, AE/NS=0x100 */
	__u32 tcp_ts_val;    /* 112 */
	__u32 tcp_ts_ecr;    /* 116 */
	__u16 tcp_mss;       /* 120 */
	__u8  tcp_wscale;    /* 122 */
	__u8  tcp_opts;      /* 123 HL_TCPOPT_* */
	__u16 udp_len;       /* 124 UDP length field */
	__u8  icmp_type;     /* 126 ICMP or ICMPv6 type */
	__u8  icmp_code;     /* 127 */
	__u16 icmp_id;       /* 128 echo identifier */
	__u16 icmp_seq;      /* 130 echo sequence number */
	__u16 payload_off;   /* 132 offset of the L4 payload from the start of the frame. Where no L4
	                      *     header was parsed it is the end of the last header that was: the
	                      *     L4 header itself for other protocols or truncated ones, the fragment
	                      *     data of a non-first fragment, what follows Ethernet/VLAN if not IP.
	                      *     Ends at the IP length (link padding excluded). */
	__u16 _pad;          /* 134 */
	__u64 packet_hash;   /* 136 consistent-sampling hash and cross-host label (see HL_HASH_SEED);
	                      *     0 when not IP */
	__u32 sample_rate;   /* 144 the rate this record was kept at: hl_config.sample_rate when
	                      *     sampled in, 1 when kept regardless (keep_reason 1..3) */
	__u8  keep_reason;   /* 148 HL_KEEP_* */
	__u8  _pad2[3];      /* 149 */
	__u8  payload[];     /* 152 snap_len bytes of L4 payload */
};

#endif /* HEADERLOG_CAPTURE_H */
