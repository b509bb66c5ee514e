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

/* Per-CPU counters (map hl_counters, one __u64 per CPU per index). Every
 * packet the program runs on is counted once in SEEN and then exactly once in
 * SUBMITTED or RINGBUF_FULL, so SEEN = SUBMITTED + RINGBUF_FULL. The other
 * counters are informational and overlap with those two. */
enum hl_counter {
	HL_CNT_SEEN = 0,
	HL_CNT_SUBMITTED = 1,
	HL_CNT_RINGBUF_FULL = 2,
	HL_CNT_LOAD_FAILED = 3,
	HL_CNT_TRUNCATED = 4,
	HL_CNT_IPV6_EXT_LIMIT = 5,
	HL_CNT_NON_IP = 6,
	HL_CNT_SNAP_CUT = 7,
	HL_CNT_L7_START = 8,  /* packets whose payload starts an HTTP/1.x, TLS hello or DNS message */
	HL_CNT_L7_FOLLOW = 9, /* TCP segments copied with l7_snap_len because they follow an L7 start */
	HL_CNT__MAX = 10,
};

/* Load-time knobs: the one `const volatile` global of capture.bpf.c, so it
 * sits at offset 0 of .rodata and the collector writes it before load. */
struct hl_config {
	__u32 snap_len;        /* payload bytes to copy per packet, 0..HL_SNAP_MAX */
	__u32 wakeup_bytes;    /* force a reader wakeup once this many bytes wait; 0 = never */
	__u32 l7_snap_len;     /* payload bytes to copy for HL_PF_L7 packets, 0..HL_SNAP_MAX; the larger
	                        * of this and snap_len applies */
	__u32 l7_follow_bytes; /* after a TCP L7 start, this many more payload bytes of the same flow
	                        * and direction are copied as L7 too; 0 = off */
};

/* One captured packet. Fixed part: 136 bytes; payload[] follows. */
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
	__u8  payload[];     /* 136 snap_len bytes of L4 payload */
};

#endif /* HEADERLOG_CAPTURE_H */
