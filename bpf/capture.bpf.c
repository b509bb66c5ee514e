// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * headerlog capture program: one record per packet with the L2-L4 header
 * fields and a payload prefix, written into the hl_events ring buffer.
 *
 * Both programs attach as TCX links and always return TCX_NEXT: a capture
 * tool must never change what happens to a packet, whatever it fails to parse
 * (fail open). Every packet is counted in hl_counters, so the collector can
 * prove that SEEN = FILTERED + SAMPLED_OUT + SUBMITTED + RINGBUF_FULL.
 *
 * Per packet: parse the headers (hl_parse); apply the filter maps
 * (hl_filter); see whether it starts an application message (hl_l7_start);
 * for IP packets compute the consistent-sampling hash (hl_hash); take the
 * precise clock if the packet is already known to be kept (see capture());
 * add to the flow counters (hl_flow); decide the L7 prefix (hl_l7); keep or
 * drop by hash (hl_keep); write the record into the ring (emit).
 * Flow counters come before sampling, so they are exact at any sample rate.
 *
 * Packet bytes are read with bpf_skb_load_bytes rather than direct packet
 * access: veth and GSO skbs are often non-linear, and direct access would only
 * see the linear head.
 *
 * Most packets get a payload prefix of snap_len bytes. Packets that carry
 * application-layer headers (an HTTP/1.x, TLS hello or DNS message starts,
 * or a TCP segment follows such a start within a byte budget) get up to
 * l7_snap_len and the flag HL_PF_L7, so the collector can reassemble header
 * blocks that span segments; see hl_l7.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "capture.h"

/* Debian 12's UAPI headers predate TCX (kernel 6.6). */
#ifndef TCX_NEXT
#define TCX_NEXT -1
#endif

#define HL_VLAN_HLEN 4
#define HL_IPV6_HLEN 40
#define HL_TCP_MIN_HLEN 20
#define HL_TCP_MAX_OPTLEN 40
#define HL_ICMP_HLEN 8

/* TCP option kinds and lengths (RFC 9293, 7323, 2018); the UAPI headers only
 * have them in the kernel-internal net/tcp.h. */
#define HL_TCPOPT_EOL 0
#define HL_TCPOPT_NOP 1
#define HL_TCPOPT_KIND_MSS 2
#define HL_TCPOPT_KIND_WINDOW 3
#define HL_TCPOPT_KIND_SACK_PERM 4
#define HL_TCPOPT_KIND_TIMESTAMP 8
#define HL_TCPOLEN_MSS 4
#define HL_TCPOLEN_WINDOW 3
#define HL_TCPOLEN_SACK_PERM 2
#define HL_TCPOLEN_TIMESTAMP 10
/* The options scratch buffer is a power of two so a masked index can never
 * leave it, which is what lets the verifier accept the variable offsets. */
#define HL_OPTBUF_LEN 64
#define HL_OPTBUF_MASK (HL_OPTBUF_LEN - 1)

/* L7 start detection and the follow-on byte budget (hl_l7). */
#define HL_L7_FOLLOW_ENTRIES 16384
#define HL_L7_FOLLOW_TTL_NS (2ULL * 1000 * 1000 * 1000)
#define HL_PORT_DNS 53
#define HL_PORT_MDNS 5353
#define HL_TLS_HANDSHAKE 0x16
#define HL_TLS_CLIENT_HELLO 1
#define HL_TLS_SERVER_HELLO 2
#define HL_TCP_FIN 0x01
#define HL_TCP_SYN 0x02
#define HL_TCP_RST 0x04

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The collector rewrites this in .rodata before load (see struct hl_config). */
const volatile struct hl_config hl_cfg = {
	.snap_len = 512,
	.wakeup_bytes = 0,
	.l7_snap_len = 4096,
	.l7_follow_bytes = 16384,
	.sample_rate = 1,
	.keep_flags = HL_KEEPF_TCP_CONTROL | HL_KEEPF_L7,
	.flow_entries = 65536,
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	/* The loader sets the real size with bpf_map__set_max_entries. */
	__uint(max_entries, 1 << 22);
} hl_events SEC(".maps");

/* One struct hl_cpu_counters per possible CPU (capture.h); the loader sets
 * max_entries to their number. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct hl_cpu_counters);
} hl_counters SEC(".maps");

/* Filter maps (see capture.h, "Kernel filters"). Written only by the collector. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, HL_CIDR_RULES_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct hl_cidr_key);
	__type(value, __u8);
} hl_cidr_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HL_PORT_RULES_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u16);
	__type(value, __u8);
} hl_port_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u8);
} hl_proto_rules SEC(".maps");

/* Words the collector writes and every packet reads (HL_CTL_*: the filter
 * state, the flow slot half). One array, so they share a cache line: under
 * load each distinct line a program touches is a likely miss (~20-30 ns).
 * The collector updates one element at a time, so writers of different
 * words never overwrite each other. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HL_CTL_WORDS);
	__type(key, __u32);
	__type(value, __u32);
} hl_control SEC(".maps");

/* Flow tables (see capture.h, "Flow counters"): the programs fill the one that
 * hl_flows[0] points to. NO_PREALLOC: a table takes memory only for the flows
 * it holds, and there are two of them. The loader sizes both to
 * hl_cfg.flow_entries. */
struct hl_flow_table {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct hl_flow_key);
	__type(value, struct hl_flow_stats);
};

struct hl_flow_table hl_flows_a SEC(".maps");
struct hl_flow_table hl_flows_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct hl_flow_table);
} hl_flows SEC(".maps") = {
	.values = { [0] = &hl_flows_a },
};

/* Per-CPU flow slots in front of the tables (capture.h, "Flow counters"): for
 * each possible CPU two halves of flow_slots each; the loader sets max_entries
 * to possible CPUs * 2 * flow_slots. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * HL_FLOW_SLOTS_MAX);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct hl_flow_slot);
} hl_flow_slots SEC(".maps");

struct hl_follow {
	__s64 remaining;  /* payload bytes still copied as L7; signed: segments on other CPUs may take it below 0 */
	__u64 expires_ns; /* bpf_ktime_get_ns() after which the entry no longer applies */
};

/* Streams that just started an L7 message (see hl_l7). LRU: under pressure the
 * least recently used stream loses its remaining budget, which only means its
 * next segments are copied with snap_len again. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, HL_L7_FOLLOW_ENTRIES);
	__type(key, struct hl_flow_key);
	__type(value, struct hl_follow);
} hl_l7_follow SEC(".maps");

/* Until when a stream that maps to this entry (the flow key's hash) may have a
 * budget in hl_l7_follow: an L7 start raises it. Segments of streams whose
 * entry lies in the past skip the hl_l7_follow lookup, which under load costs
 * a cache miss or two; a collision only costs a lookup that finds nothing. */
#define HL_L7_HINTS 4096
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HL_L7_HINTS);
	__type(key, __u32);
	__type(value, __u64);
} hl_l7_hint SEC(".maps");

/* IPv6 fragment header (RFC 8200 4.5); the kernel's struct frag_hdr is not UAPI. */
struct hl_frag_hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;
	__be32 identification;
};

struct hl_vlan_hdr {
	__be16 tci;
	__be16 encapsulated_proto;
};

/* Where the parser stands in the packet. */
struct hl_cursor {
	__u32 off; /* next unparsed byte from the start of the frame */
	__u32 end; /* end of the bytes that belong to the packet (IP length, not link padding) */
};

static __always_inline void count(__u32 idx)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct hl_cpu_counters *c = bpf_map_lookup_elem(&hl_counters, &cpu);

	/* Atomic although per-CPU: on preemptible (PREEMPT_RT) kernels programs
	 * run with only migration disabled, so two can interleave on one CPU in
	 * the middle of a read-modify-write, and the SEEN = SUBMITTED +
	 * RINGBUF_FULL identity must hold exactly. A local lock add is cheap. */
	if (c)
		__sync_fetch_and_add(&c->c[idx], 1);
}

static __always_inline int load(struct __sk_buff *skb, struct hl_event *ev, __u32 off, void *to, __u32 len)
{
	if (bpf_skb_load_bytes(skb, off, to, len) < 0) {
		ev->parse_flags |= HL_PF_LOAD_FAILED;
		return -1;
	}
	return 0;
}

/* True when [off, off + need) lies inside [0, end); flags the record otherwise. */
static __always_inline int have(struct hl_event *ev, const struct hl_cursor *c, __u32 need)
{
	if (c->off > c->end || c->end - c->off < need) {
		ev->parse_flags |= HL_PF_TRUNCATED;
		return 0;
	}
	return 1;
}

/* Ethernet and up to two VLAN tags. Returns the EtherType (network order) or 0. */
static __always_inline __be16 parse_l2(struct __sk_buff *skb, struct hl_event *ev, struct hl_cursor *c)
{
	struct ethhdr eth;
	struct hl_vlan_hdr vh;
	__be16 proto;

	/* The outer tag may live in skb metadata instead of the frame: on
	 * receive the kernel pulls it there before TC ingress (skb_vlan_untag),
	 * and a VLAN device hands it down there on transmit (it is only written
	 * into the frame after TC egress, if the device cannot offload it). It
	 * is the outermost tag, so it comes first. */
	if (skb->vlan_present) {
		ev->vlan_ids[0] = skb->vlan_tci & 0x0fff;
		ev->vlan_count = 1;
		ev->parse_flags |= HL_PF_VLAN_OFFLOADED;
	}
	if (!have(ev, c, ETH_HLEN) || load(skb, ev, 0, &eth, sizeof(eth)) < 0)
		return 0;
	__builtin_memcpy(ev->eth_dst, eth.h_dest, ETH_ALEN);
	__builtin_memcpy(ev->eth_src, eth.h_source, ETH_ALEN);
	c->off = ETH_HLEN;
	proto = eth.h_proto;

#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if (ev->vlan_count >= 2)
			break;
		if (!have(ev, c, HL_VLAN_HLEN) || load(skb, ev, c->off, &vh, sizeof(vh)) < 0) {
			ev->eth_type = bpf_ntohs(proto);
			return 0;
		}
		if (ev->vlan_count == 0)
			ev->vlan_ids[0] = bpf_ntohs(vh.tci) & 0x0fff;
		else
			ev->vlan_ids[1] = bpf_ntohs(vh.tci) & 0x0fff;
		ev->vlan_count++;
		c->off += HL_VLAN_HLEN;
		proto = vh.encapsulated_proto;
	}
	ev->eth_type = bpf_ntohs(proto);
	return proto;
}

/* Returns the L4 protocol, or -1 when there is no L4 header to parse here. */
static __always_inline int parse_ipv4(struct __sk_buff *skb, struct hl_event *ev, struct hl_cursor *c)
{
	struct iphdr ip;
	__u32 ihl, tot, frag;

	if (!have(ev, c, sizeof(ip)) || load(skb, ev, c->off, &ip, sizeof(ip)) < 0)
		return -1;
	ev->ip_version = 4;
	ev->ip_tos = ip.tos;
	ev->ip_ttl = ip.ttl;
	ev->ip_proto = ip.protocol;
	ev->ip_id = bpf_ntohs(ip.id);
	tot = bpf_ntohs(ip.tot_len);
	ev->ip_total_len = tot;
	frag = bpf_ntohs(ip.frag_off);
	ev->ip_frag_off = frag & 0x1fff;
	if (frag & 0x4000)
		ev->ip_frag_flags |= HL_IP_DF;
	if (frag & 0x2000)
		ev->ip_frag_flags |= HL_IP_MF;
	__builtin_memcpy(ev->ip_src, &ip.saddr, 4);
	__builtin_memcpy(ev->ip_dst, &ip.daddr, 4);

	ihl = ip.ihl * 4;
	if (ihl < sizeof(ip)) {
		ev->parse_flags |= HL_PF_TRUNCATED;
		return -1;
	}
	/* tot_len 0 is what TSO/BIG TCP super-packets may carry: use skb->len. */
	if (tot != 0) {
		if (tot < ihl || c->off + tot > c->end)
			ev->parse_flags |= HL_PF_TRUNCATED;
		else
			c->end = c->off + tot;
	}
	if (!have(ev, c, ihl))
		return -1;
	c->off += ihl;
	if (ev->ip_frag_off != 0) {
		ev->parse_flags |= HL_PF_FRAGMENT;
		return -1;
	}
	return ip.protocol;
}

static __always_inline int is_ipv6_ext(__u8 nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_FRAGMENT ||
	       nh == IPPROTO_DSTOPTS || nh == IPPROTO_AH;
}

static __always_inline int parse_ipv6(struct __sk_buff *skb, struct hl_event *ev, struct hl_cursor *c)
{
	struct ipv6hdr ip6;
	struct ipv6_opt_hdr oh;
	struct hl_frag_hdr fh;
	__u32 plen, total;
	__u8 nh;

	if (!have(ev, c, sizeof(ip6)) || load(skb, ev, c->off, &ip6, sizeof(ip6)) < 0)
		return -1;
	ev->ip_version = 6;
	ev->ip_tos = (ip6.priority << 4) | (ip6.flow_lbl[0] >> 4);
	ev->ip_flow_label = ((__u32)(ip6.flow_lbl[0] & 0x0f) << 16) | ((__u32)ip6.flow_lbl[1] << 8) |
			    ip6.flow_lbl[2];
	ev->ip_ttl = ip6.hop_limit;
	__builtin_memcpy(ev->ip_src, &ip6.saddr, 16);
	__builtin_memcpy(ev->ip_dst, &ip6.daddr, 16);
	plen = bpf_ntohs(ip6.payload_len);
	total = HL_IPV6_HLEN + plen;
	ev->ip_total_len = total > 0xffff ? 0xffff : total;
	/* payload_len 0 means a jumbogram or a BIG TCP super-packet: use skb->len. */
	if (plen != 0) {
		if (c->off + total > c->end)
			ev->parse_flags |= HL_PF_TRUNCATED;
		else
			c->end = c->off + total;
	}
	c->off += HL_IPV6_HLEN;
	nh = ip6.nexthdr;

	for (int i = 0; i < HL_IPV6_MAX_EXT_HEADERS; i++) {
		if (!is_ipv6_ext(nh))
			break;
		if (nh == IPPROTO_FRAGMENT) {
			if (!have(ev, c, sizeof(fh)) || load(skb, ev, c->off, &fh, sizeof(fh)) < 0)
				return -1;
			__u16 fo = bpf_ntohs(fh.frag_off);

			ev->ip_id = bpf_ntohl(fh.identification);
			ev->ip_frag_off = fo >> 3;
			if (fo & 1)
				ev->ip_frag_flags |= HL_IP_MF;
			c->off += sizeof(fh);
			nh = fh.nexthdr;
			if (ev->ip_frag_off != 0) {
				/* What follows is fragment data, not headers. */
				ev->ip_proto = nh;
				ev->parse_flags |= HL_PF_FRAGMENT;
				return -1;
			}
			continue;
		}
		if (!have(ev, c, sizeof(oh)) || load(skb, ev, c->off, &oh, sizeof(oh)) < 0)
			return -1;
		/* AH counts 4-byte units minus 2 (RFC 4302), the others 8-byte units minus 1. */
		__u32 hlen = nh == IPPROTO_AH ? ((__u32)oh.hdrlen + 2) * 4 : ((__u32)oh.hdrlen + 1) * 8;

		if (!have(ev, c, hlen))
			return -1;
		c->off += hlen;
		nh = oh.nexthdr;
	}
	ev->ip_proto = nh;
	if (is_ipv6_ext(nh)) {
		ev->parse_flags |= HL_PF_IPV6_EXT_LIMIT;
		return -1;
	}
	return nh;
}

/* Returns len (1..cls, cls a power of two) in a form the verifier can bound:
 * clang proves the mask redundant and drops it unless the value is hidden
 * from it, and without the mask the verifier loses the range on the way to
 * bpf_skb_load_bytes ("invalid zero-sized read"). */
static __always_inline __u32 bounded_len(__u32 len, __u32 cls)
{
	__u32 n = len - 1;

	asm volatile("" : "+r"(n));
	return (n & (cls - 1)) + 1;
}

struct hl_optbuf {
	__u8 b[HL_OPTBUF_LEN];
};

/* Decodes the TCP option at offset i of opts and returns the offset of the
 * next one (optlen or more to stop).
 *
 * Global (non-inlined) on purpose: the verifier checks it once with unknown
 * arguments, and its return value is an unknown number to the caller. Inline,
 * every path through the walk gives i a different range, the 40 steps of the
 * loop never prune each other and verification exceeds 1M instructions. */
__noinline int hl_tcp_option(struct hl_event *ev, const struct hl_optbuf *opts, __u32 i, __u32 optlen)
{
	__u8 kind, len;

	if (!ev || !opts || i >= optlen)
		return optlen;
	kind = opts->b[i & HL_OPTBUF_MASK];
	if (kind == HL_TCPOPT_EOL)
		return optlen;
	if (kind == HL_TCPOPT_NOP)
		return i + 1;
	if (i + 1 >= optlen)
		return optlen;
	len = opts->b[(i + 1) & HL_OPTBUF_MASK];
	if (len < 2 || i + len > optlen)
		return optlen;

	if (kind == HL_TCPOPT_KIND_MSS && len == HL_TCPOLEN_MSS) {
		ev->tcp_mss = ((__u16)opts->b[(i + 2) & HL_OPTBUF_MASK] << 8) | opts->b[(i + 3) & HL_OPTBUF_MASK];
		ev->tcp_opts |= HL_TCPOPT_MSS;
	} else if (kind == HL_TCPOPT_KIND_WINDOW && len == HL_TCPOLEN_WINDOW) {
		ev->tcp_wscale = opts->b[(i + 2) & HL_OPTBUF_MASK];
		ev->tcp_opts |= HL_TCPOPT_WSCALE;
	} else if (kind == HL_TCPOPT_KIND_SACK_PERM && len == HL_TCPOLEN_SACK_PERM) {
		ev->tcp_opts |= HL_TCPOPT_SACK_PERM;
	} else if (kind == HL_TCPOPT_KIND_TIMESTAMP && len == HL_TCPOLEN_TIMESTAMP) {
		__u32 v = 0, e = 0;

		for (int b = 0; b < 4; b++) {
			v = (v << 8) | opts->b[(i + 2 + b) & HL_OPTBUF_MASK];
			e = (e << 8) | opts->b[(i + 6 + b) & HL_OPTBUF_MASK];
		}
		ev->tcp_ts_val = v;
		ev->tcp_ts_ecr = e;
		ev->tcp_opts |= HL_TCPOPT_TS;
	}
	return i + len;
}

static __always_inline void parse_tcp_options(struct __sk_buff *skb, struct hl_event *ev, __u32 off, __u32 optlen)
{
	struct hl_optbuf opts;
	__u32 i = 0;

	if (optlen == 0 || optlen > HL_TCP_MAX_OPTLEN)
		return;
	__builtin_memset(&opts, 0, sizeof(opts));
	if (load(skb, ev, off, opts.b, bounded_len(optlen, HL_OPTBUF_LEN)) < 0)
		return;
	/* Every option takes at least one byte, so optlen steps always suffice. */
	for (int k = 0; k < HL_TCP_MAX_OPTLEN && i < optlen; k++)
		i = hl_tcp_option(ev, &opts, i, optlen);
}

static __always_inline void parse_tcp(struct __sk_buff *skb, struct hl_event *ev, struct hl_cursor *c)
{
	struct tcphdr th;
	__u32 doff, avail;
	__u8 *raw = (__u8 *)&th;

	if (!have(ev, c, sizeof(th)) || load(skb, ev, c->off, &th, sizeof(th)) < 0)
		return;
	ev->sport = bpf_ntohs(th.source);
	ev->dport = bpf_ntohs(th.dest);
	ev->tcp_seq = bpf_ntohl(th.seq);
	ev->tcp_ack = bpf_ntohl(th.ack_seq);
	ev->tcp_window = bpf_ntohs(th.window);
	/* Byte 13 holds CWR..FIN; the low bit of byte 12 is AE (RFC 9768, formerly NS). */
	ev->tcp_flags = raw[13] | ((__u16)(raw[12] & 0x01) << 8);
	doff = (raw[12] >> 4) * 4;
	ev->parse_flags |= HL_PF_L4_PARSED;
	if (doff < sizeof(th)) {
		ev->parse_flags |= HL_PF_TRUNCATED;
		ev->l4_hdr_len = sizeof(th);
		c->off += sizeof(th);
		return;
	}
	ev->l4_hdr_len = doff;
	avail = c->end - c->off;
	if (doff > avail) {
		ev->parse_flags |= HL_PF_TRUNCATED;
		parse_tcp_options(skb, ev, c->off + sizeof(th), avail - sizeof(th));
		c->off = c->end;
		return;
	}
	parse_tcp_options(skb, ev, c->off + sizeof(th), doff - sizeof(th));
	c->off += doff;
}

static __always_inline void parse_udp(struct __sk_buff *skb, struct hl_event *ev, struct hl_cursor *c)
{
	struct udphdr uh;

	if (!have(ev, c, sizeof(uh)) || load(skb, ev, c->off, &uh, sizeof(uh)) < 0)
		return;
	ev->sport = bpf_ntohs(uh.source);
	ev->dport = bpf_ntohs(uh.dest);
	ev->udp_len = bpf_ntohs(uh.len);
	ev->l4_hdr_len = sizeof(uh);
	ev->parse_flags |= HL_PF_L4_PARSED;
	c->off += sizeof(uh);
}

/* ICMP and ICMPv6 share the layout of the first 8 bytes: type, code, checksum, id, sequence. */
static __always_inline void parse_icmp(struct __sk_buff *skb, struct hl_event *ev, struct hl_cursor *c, int v6)
{
	struct icmphdr ih;

	if (!have(ev, c, HL_ICMP_HLEN) || load(skb, ev, c->off, &ih, HL_ICMP_HLEN) < 0)
		return;
	ev->icmp_type = ih.type;
	ev->icmp_code = ih.code;
	if (v6 ? (ih.type == ICMPV6_ECHO_REQUEST || ih.type == ICMPV6_ECHO_REPLY)
	       : (ih.type == ICMP_ECHO || ih.type == ICMP_ECHOREPLY)) {
		ev->icmp_id = bpf_ntohs(ih.un.echo.id);
		ev->icmp_seq = bpf_ntohs(ih.un.echo.sequence);
	}
	ev->l4_hdr_len = HL_ICMP_HLEN;
	ev->parse_flags |= HL_PF_L4_PARSED;
	c->off += HL_ICMP_HLEN;
}

/* Fills ev and leaves c->off at the first byte after the last parsed header. */
static __always_inline void parse_headers(struct __sk_buff *skb, struct hl_event *ev, struct hl_cursor *c)
{
	__be16 proto = parse_l2(skb, ev, c);
	int l4;

	if (proto == bpf_htons(ETH_P_IP))
		l4 = parse_ipv4(skb, ev, c);
	else if (proto == bpf_htons(ETH_P_IPV6))
		l4 = parse_ipv6(skb, ev, c);
	else
		return;

	if (l4 == IPPROTO_TCP)
		parse_tcp(skb, ev, c);
	else if (l4 == IPPROTO_UDP)
		parse_udp(skb, ev, c);
	else if (l4 == IPPROTO_ICMP && ev->ip_version == 4)
		parse_icmp(skb, ev, c, 0);
	else if (l4 == IPPROTO_ICMPV6 && ev->ip_version == 6)
		parse_icmp(skb, ev, c, 1);
}

/* Copies the fixed part and a payload prefix of 1..cls bytes into a record
 * reserved with cls payload bytes. */
static __always_inline void fill(struct __sk_buff *skb, struct hl_event *e, const struct hl_event *ev, __u32 copy,
				 __u32 cls)
{
	__builtin_memcpy(e, ev, sizeof(*e));
	if (bpf_skb_load_bytes(skb, ev->payload_off, e->payload, bounded_len(copy, cls)) < 0) {
		/* Counted once per packet: capture() already counted a parse failure. */
		if (!(ev->parse_flags & HL_PF_LOAD_FAILED))
			count(HL_CNT_LOAD_FAILED);
		e->parse_flags |= HL_PF_LOAD_FAILED;
		e->snap_len = 0;
	}
}

/* bpf_ringbuf_reserve needs a constant size, so each size class is its own
 * branch in which the verifier knows copy <= the class. */
#define HL_RESERVE(CLASS)                                                                  \
	do {                                                                               \
		e = bpf_ringbuf_reserve(&hl_events, sizeof(struct hl_event) + (CLASS), 0); \
		if (!e)                                                                    \
			return -1;                                                         \
		fill(skb, e, ev, copy, (CLASS));                                              \
	} while (0)

static __always_inline int emit(struct __sk_buff *skb, const struct hl_event *ev, __u32 copy)
{
	struct hl_event *e;
	__u64 flags = BPF_RB_NO_WAKEUP;
	__u32 wakeup = hl_cfg.wakeup_bytes;

	if (copy == 0) {
		e = bpf_ringbuf_reserve(&hl_events, sizeof(struct hl_event), 0);
		if (!e)
			return -1;
		__builtin_memcpy(e, ev, sizeof(*e));
	} else if (copy <= HL_SNAP_CLASS_0) {
		HL_RESERVE(HL_SNAP_CLASS_0);
	} else if (copy <= HL_SNAP_CLASS_1) {
		HL_RESERVE(HL_SNAP_CLASS_1);
	} else if (copy <= HL_SNAP_CLASS_2) {
		HL_RESERVE(HL_SNAP_CLASS_2);
	} else if (copy <= HL_SNAP_CLASS_3) {
		HL_RESERVE(HL_SNAP_CLASS_3);
	} else {
		return -1; /* unreachable: copy <= HL_SNAP_MAX */
	}
	/* The reader polls with a short timeout instead of being woken per
	 * record; it is woken early only when a backlog builds up. */
	if (wakeup != 0 && bpf_ringbuf_query(&hl_events, BPF_RB_AVAIL_DATA) >= wakeup)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
	return 0;
}

/* Parses the packet into *ev (zeroed by the caller) and decides the payload
 * prefix: sets payload_off, payload_len, snap_len and HL_PF_SNAP_CUT.
 *
 * Global so the verifier checks it once, with ev as opaque memory: on the
 * caller's stack every constant parse_flags / vlan_count / offset would be
 * tracked per path, and the paths multiply past the 1M instruction limit. */
__noinline int hl_parse(struct __sk_buff *skb, struct hl_event *ev)
{
	struct hl_cursor c = {};
	__u32 snap = hl_cfg.snap_len, payload_len = 0, copy;

	if (!ev)
		return 0;
	c.end = skb->len;
	parse_headers(skb, ev, &c);

	if (c.off < c.end)
		payload_len = c.end - c.off;
	else
		c.off = c.end;
	ev->payload_len = payload_len;
	if (snap > HL_SNAP_MAX)
		snap = HL_SNAP_MAX;
	copy = payload_len < snap ? payload_len : snap;
	/* payload_off has 16 bits: a prefix behind 64 KiB of headers cannot be located. */
	if (c.off > 0xffff) {
		ev->payload_off = 0xffff;
		copy = 0;
	} else {
		ev->payload_off = c.off;
	}
	ev->snap_len = copy;
	if (copy < payload_len)
		ev->parse_flags |= HL_PF_SNAP_CUT;
	return 0;
}

/* Byte i (0 = first) of an 8-byte big-endian probe word. */
#define HL_B(c, i) ((__u64)(__u8)(c) << (56 - 8 * (i)))
#define HL_P4(a, b, c, d) (HL_B(a, 0) | HL_B(b, 1) | HL_B(c, 2) | HL_B(d, 3))
#define HL_P5(a, b, c, d, e) (HL_P4(a, b, c, d) | HL_B(e, 4))
#define HL_P6(a, b, c, d, e, f) (HL_P5(a, b, c, d, e) | HL_B(f, 5))
#define HL_P7(a, b, c, d, e, f, g) (HL_P6(a, b, c, d, e, f) | HL_B(g, 6))
#define HL_P8(a, b, c, d, e, f, g, h) (HL_P7(a, b, c, d, e, f, g) | HL_B(h, 7))

/* True when the first n bytes of the probe word w are those of pattern p. */
static __always_inline int prefix(__u64 w, __u64 p, int n)
{
	return (w >> (64 - 8 * n)) == (p >> (64 - 8 * n));
}

/* An HTTP/1.x request line (RFC 9110 methods) or status line. */
static __always_inline int is_http_start(__u64 w)
{
	return prefix(w, HL_P4('G', 'E', 'T', ' '), 4) || prefix(w, HL_P5('P', 'O', 'S', 'T', ' '), 5) ||
	       prefix(w, HL_P7('H', 'T', 'T', 'P', '/', '1', '.'), 7) || prefix(w, HL_P4('P', 'U', 'T', ' '), 4) ||
	       prefix(w, HL_P5('H', 'E', 'A', 'D', ' '), 5) || prefix(w, HL_P7('D', 'E', 'L', 'E', 'T', 'E', ' '), 7) ||
	       prefix(w, HL_P8('O', 'P', 'T', 'I', 'O', 'N', 'S', ' '), 8) ||
	       prefix(w, HL_P6('P', 'A', 'T', 'C', 'H', ' '), 6) ||
	       prefix(w, HL_P8('C', 'O', 'N', 'N', 'E', 'C', 'T', ' '), 8) ||
	       prefix(w, HL_P6('T', 'R', 'A', 'C', 'E', ' '), 6);
}

/* A TLS handshake record (type 22, version 3.0..3.4 as SSL 3.0 to TLS 1.3 put
 * it there) whose first message is a ClientHello or ServerHello. */
static __always_inline int is_tls_hello(__u64 w)
{
	__u8 type = w >> 56, major = w >> 48, minor = w >> 40, msg = w >> 16;

	return type == HL_TLS_HANDSHAKE && major == 3 && minor <= 4 &&
	       (msg == HL_TLS_CLIENT_HELLO || msg == HL_TLS_SERVER_HELLO);
}

/* The observation's flow (interface, direction, addresses, protocol, ports):
 * the key of hl_flows and of hl_l7_follow. Zeroed first, as both maps hash
 * the key's raw bytes, padding included. */
static __always_inline void flow_key(struct hl_flow_key *key, const struct hl_event *ev)
{
	__builtin_memset(key, 0, sizeof(*key));
	key->ifindex = ev->ifindex;
	key->direction = ev->direction;
	key->ip_version = ev->ip_version;
	key->ip_proto = ev->ip_proto;
	__builtin_memcpy(key->saddr, ev->ip_src, sizeof(key->saddr));
	__builtin_memcpy(key->daddr, ev->ip_dst, sizeof(key->daddr));
	key->sport = ev->sport;
	key->dport = ev->dport;
}

static __always_inline int is_dns_port(__u16 port)
{
	return port == HL_PORT_DNS || port == HL_PORT_MDNS;
}

/* What hl_l7_start found (a bit set). */
#define HL_L7S_START 0x1 /* the payload starts an application message */
#define HL_L7S_OPENS 0x2 /* ... of a TCP stream that gets a follow budget (not DNS, not closing) */

/* Whether the packet starts an application-layer message (HL_L7S_*).
 *
 * A packet is an L7 start when its payload begins an HTTP/1.x request or
 * status line or a TLS ClientHello/ServerHello record (by content, on any
 * port: the first 8 payload bytes, which hl_prefix loaded for the hash;
 * "OPTIONS " and "CONNECT " are the longest prefixes tested), or is UDP or
 * TCP to or from port 53 or 5353 (DNS, mDNS: any payload). A TCP start
 * other than DNS opens a byte budget for its stream (see hl_l7), unless the
 * segment also ends the stream (FIN, RST). DNS over TCP needs no budget:
 * every segment on its port is a start.
 *
 * Separate from hl_l7 because capture() decides before the flow counters
 * whether the packet is kept, and an L7 start is.
 * Global (non-inlined) so the verifier checks it once, like hl_parse. */
__noinline int hl_l7_start(const struct hl_event *ev, __u64 prefix)
{
	int tcp, dns, start;

	if (!ev || !(ev->parse_flags & HL_PF_L4_PARSED) || ev->payload_off == 0xffff || ev->payload_len == 0)
		return 0;
	tcp = ev->ip_proto == IPPROTO_TCP;
	if (!tcp && ev->ip_proto != IPPROTO_UDP)
		return 0;
	dns = is_dns_port(ev->sport) || is_dns_port(ev->dport);
	if (dns)
		start = 1;
	else if (!tcp)
		return 0;
	else
		/* The hash's payload word (hl_prefix): fewer than 8 bytes leave its
		 * low end zero, which no pattern byte matches. */
		start = is_http_start(prefix) || is_tls_hello(prefix);
	if (!start)
		return 0;
	if (tcp && !dns && hl_cfg.l7_follow_bytes != 0 && !(ev->tcp_flags & (HL_TCP_FIN | HL_TCP_RST)))
		return HL_L7S_START | HL_L7S_OPENS;
	return HL_L7S_START;
}

/* Decides whether the packet carries application-layer header bytes and, if
 * so, copies up to l7_snap_len of its payload instead of snap_len (updating
 * snap_len and HL_PF_SNAP_CUT in *ev) and sets HL_PF_L7. l7 is what
 * hl_l7_start found; key is the packet's stream and h its hash (key_hash).
 *
 * L7 starts are copied so (hl_l7_start). A TCP start opens a byte budget for
 * its stream (hl_l7_follow): the next l7_follow_bytes payload bytes of the
 * same observation are copied as L7 as well, so a header block spread over
 * several segments reaches the collector's reassembly whole. The budget ends
 * when it is used up, after HL_L7_FOLLOW_TTL_NS, or at a FIN or RST of that
 * stream; a new start resets it (keep-alive, pipelining).
 *
 * hl_l7_hint remembers until when a budget may last, so the segments of a
 * stream without one (bulk transfers, most of a capture's packets) skip the
 * hl_l7_follow lookup.
 *
 * Why a byte budget and not a "header complete" signal from the collector:
 * user space sees a record only after the reader's next poll (up to
 * --poll-interval), by which time the following segments have long passed
 * this hook, so a signal would arrive too late for the very segments it is
 * about; it would also cost a map update syscall per message from the reader
 * thread. Finding the end of the header block here ("\r\n\r\n" in HTTP,
 * record lengths in TLS) would mean a byte-by-byte search over kilobytes per
 * packet, costly in both run time and verifier budget. A budget is decided
 * from the packet alone; what it costs is bounded (at most l7_follow_bytes
 * copied beyond snap_len per message, i.e. some body bytes after a short
 * header) and what it risks is explicit (a header block longer than
 * l7_snap_len plus the budget is cut, and the collector flags it truncated).
 *
 * Global (non-inlined) so the verifier checks it once, like hl_parse. */
__noinline int hl_l7(struct hl_event *ev, const struct hl_flow_key *key, int l7, __u32 h)
{
	struct hl_follow *f;
	__u32 follow = hl_cfg.l7_follow_bytes, limit = hl_cfg.l7_snap_len, snap = hl_cfg.snap_len;
	__u32 payload_len, copy, hi = h & (HL_L7_HINTS - 1);
	__u64 *hint;
	int start = l7 & HL_L7S_START, followed = 0, closing, live;

	if (!ev || !key)
		return 0;
	if (!(ev->parse_flags & HL_PF_L4_PARSED) || ev->payload_off == 0xffff || ev->ip_proto != IPPROTO_TCP ||
	    follow == 0) {
		if (!start)
			return 0;
		goto copy_l7;
	}
	hint = bpf_map_lookup_elem(&hl_l7_hint, &hi);
	if (!hint)
		goto done;
	payload_len = ev->payload_len;
	closing = ev->tcp_flags & (HL_TCP_FIN | HL_TCP_RST);

	if (l7 & HL_L7S_OPENS) {
		struct hl_follow v = {
			.remaining = follow,
			.expires_ns = ev->mono_ns + HL_L7_FOLLOW_TTL_NS,
		};

		bpf_map_update_elem(&hl_l7_follow, key, &v, BPF_ANY);
		/* A plain store: a start racing on another CPU writes nearly the
		 * same time, both being now + the TTL. */
		if (*hint < v.expires_ns)
			*hint = v.expires_ns;
		goto done;
	}
	/* Whether hl_l7_follow may hold a live budget for this stream. */
	live = ev->mono_ns <= *hint;
	if (!live)
		goto done;
	if (!start && payload_len > 0) {
		f = bpf_map_lookup_elem(&hl_l7_follow, key);
		if (f) {
			__s64 left = f->remaining;

			if (ev->mono_ns > f->expires_ns || left <= 0) {
				bpf_map_delete_elem(&hl_l7_follow, key);
			} else {
				followed = 1;
				count(HL_CNT_L7_FOLLOW);
				/* Atomic so concurrent segments of one stream (other
				 * CPUs) all pay; the result is not used, which keeps
				 * this a plain XADD that every BPF CPU version has. */
				__sync_fetch_and_add(&f->remaining, -(__s64)payload_len);
				if (left <= payload_len)
					bpf_map_delete_elem(&hl_l7_follow, key);
			}
		}
	}
	/* The stream ends: its budget would only apply to a later connection
	 * that reuses the ports. */
	if (closing)
		bpf_map_delete_elem(&hl_l7_follow, key);
done:
	if (!start && !followed)
		return 0;
copy_l7:
	if (start)
		count(HL_CNT_L7_START);
	payload_len = ev->payload_len;
	ev->parse_flags |= HL_PF_L7;
	if (limit < snap)
		limit = snap;
	if (limit > HL_SNAP_MAX)
		limit = HL_SNAP_MAX;
	copy = payload_len < limit ? payload_len : limit;
	ev->snap_len = copy;
	if (copy < payload_len)
		ev->parse_flags |= HL_PF_SNAP_CUT;
	else
		ev->parse_flags &= ~HL_PF_SNAP_CUT;
	return 0;
}

/* The action of the longest prefix in hl_cidr_rules that covers addr (16
 * bytes; IPv4 in the first 4), or 0 when none does. */
static __always_inline __u8 cidr_action(const __u8 *addr, __u8 ip_version)
{
	struct hl_cidr_key key = { .prefixlen = 128 };
	__u8 *action;

	if (ip_version == 4) {
		key.addr[10] = 0xff;
		key.addr[11] = 0xff;
		__builtin_memcpy(&key.addr[12], addr, 4);
	} else {
		__builtin_memcpy(key.addr, addr, 16);
	}
	action = bpf_map_lookup_elem(&hl_cidr_rules, &key);
	return action ? *action : 0;
}

static __always_inline __u8 port_action(__u16 port)
{
	__u8 *action = bpf_map_lookup_elem(&hl_port_rules, &port);

	return action ? *action : 0;
}

/* Returns 1 when the packet passes the filter maps, 0 when it is filtered out
 * (rules in capture.h, "Kernel filters"); state: hl_control[HL_CTL_FILTER_STATE].
 * capture() calls it only when that is non-zero; with no bit set every check
 * below is skipped and the packet passes anyway.
 *
 * Global so the verifier checks it once, like hl_parse. */
__noinline int hl_filter(const struct hl_event *ev, __u32 state)
{
	__u32 proto;
	__u8 a, b, *pa;
	int ports;

	if (!ev)
		return 1;
	if (ev->ip_version == 0)
		return !(state & (HL_FS_CIDR_ALLOW | HL_FS_PORT_ALLOW | HL_FS_PROTO_ALLOW));

	if (state & (HL_FS_CIDR_ALLOW | HL_FS_CIDR_DENY)) {
		a = cidr_action(ev->ip_src, ev->ip_version);
		b = cidr_action(ev->ip_dst, ev->ip_version);
		if (a == HL_FILTER_DENY || b == HL_FILTER_DENY)
			return 0;
		if ((state & HL_FS_CIDR_ALLOW) && a != HL_FILTER_ALLOW && b != HL_FILTER_ALLOW)
			return 0;
	}
	if (state & (HL_FS_PORT_ALLOW | HL_FS_PORT_DENY)) {
		ports = (ev->parse_flags & HL_PF_L4_PARSED) &&
			(ev->ip_proto == IPPROTO_TCP || ev->ip_proto == IPPROTO_UDP);
		if (!ports)
			return !(state & HL_FS_PORT_ALLOW);
		a = port_action(ev->sport);
		b = port_action(ev->dport);
		if (a == HL_FILTER_DENY || b == HL_FILTER_DENY)
			return 0;
		if ((state & HL_FS_PORT_ALLOW) && a != HL_FILTER_ALLOW && b != HL_FILTER_ALLOW)
			return 0;
	}
	if (state & (HL_FS_PROTO_ALLOW | HL_FS_PROTO_DENY)) {
		proto = ev->ip_proto;
		pa = bpf_map_lookup_elem(&hl_proto_rules, &proto);
		a = pa ? *pa : 0;
		if (a == HL_FILTER_DENY)
			return 0;
		if ((state & HL_FS_PROTO_ALLOW) && a != HL_FILTER_ALLOW)
			return 0;
	}
	return 1;
}

/* The first min(8, payload_len) payload bytes as a big-endian word, zero-padded
 * at the low end (hash word w9, and the L7 probe); 0 when there is no payload
 * or it cannot be located. A load that fails leaves 0 as well: it cannot, as
 * payload_off + payload_len never passes skb->len. */
__noinline __u64 hl_prefix(struct __sk_buff *skb, const struct hl_event *ev)
{
	__u64 buf = 0;
	__u32 n;

	if (!ev || ev->ip_version == 0 || ev->payload_len == 0 || ev->payload_off == 0xffff)
		return 0;
	n = ev->payload_len < 8 ? ev->payload_len : 8;
	if (bpf_skb_load_bytes(skb, ev->payload_off, &buf, bounded_len(n, 8)) < 0)
		return 0;
	return bpf_be64_to_cpu(buf);
}

static __always_inline __u64 rotl64(__u64 x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static __always_inline __u64 mix(__u64 h, __u64 k)
{
	k *= HL_HASH_C1;
	k = rotl64(k, 31);
	k *= HL_HASH_C2;
	h ^= k;
	h = rotl64(h, 27);
	return h * 5 + 0x52dce729;
}

static __always_inline __u64 be64_at(const __u8 *p)
{
	__u64 v;

	__builtin_memcpy(&v, p, 8);
	return bpf_be64_to_cpu(v);
}

/* packet_hash: the words and mixing defined in capture.h (HL_HASH_SEED). */
__noinline __u64 hl_hash(const struct hl_event *ev, __u64 prefix)
{
	__u64 h = HL_HASH_SEED;

	if (!ev)
		return 0;
	h = mix(h, (__u64)ev->ip_version << 56 | (__u64)ev->ip_proto << 48 | (__u64)ev->tcp_flags << 32 |
			   ev->payload_len);
	h = mix(h, be64_at(ev->ip_src));
	h = mix(h, be64_at(ev->ip_src + 8));
	h = mix(h, be64_at(ev->ip_dst));
	h = mix(h, be64_at(ev->ip_dst + 8));
	h = mix(h, (__u64)ev->sport << 48 | (__u64)ev->dport << 32 | ev->ip_id);
	h = mix(h, (__u64)ev->tcp_seq << 32 | ev->tcp_ack);
	h = mix(h, (__u64)ev->tcp_ts_val << 32 | ev->tcp_ts_ecr);
	h = mix(h, (__u64)ev->icmp_type << 40 | (__u64)ev->icmp_code << 32 | (__u64)ev->icmp_id << 16 |
			   ev->icmp_seq);
	h = mix(h, prefix);
	h ^= HL_HASH_WORDS * 8;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* A hash of the flow key for the direct-mapped maps (hl_flow_slots,
 * hl_l7_hint): every word times its own odd constant, then a 64-bit finalizer
 * (MurmurHash3's fmix64), so flows that differ only in a port spread too. */
static __always_inline __u32 key_hash(const struct hl_flow_key *k)
{
	__u64 w[5];
	__u32 last;
	__u64 h;

	__builtin_memcpy(w, k, sizeof(w));
	__builtin_memcpy(&last, (const __u8 *)k + sizeof(w), sizeof(last));
	h = w[0] * 0x9e3779b97f4a7c15ULL + w[1] * 0xc2b2ae3d27d4eb4fULL + w[2] * 0x165667b19e3779f9ULL +
	    w[3] * 0xd6e8feb86659fd93ULL + w[4] * 0xff51afd7ed558ccdULL + (__u64)last * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (__u32)h;
}

static __always_inline int key_equal(const struct hl_flow_key *a, const struct hl_flow_key *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;
	__u32 diff = 0;

#pragma unroll
	for (int i = 0; i < sizeof(*a) / 4; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

/* A new flow entry's counters (slot or table) for its first packet. first_seen_ns
 * takes the precise clock whatever the packet's fate (once per flow and
 * interval); precise: whether ev->mono_ns already is it. */
static __always_inline void flow_init(struct hl_flow_stats *st, const struct hl_event *ev, int precise, __u64 segs,
				      __u64 bytes, __u64 flags)
{
	__u64 now = precise ? ev->mono_ns : bpf_ktime_get_ns();

	st->packets = segs;
	st->bytes = bytes;
	st->first_seen_ns = now;
	st->last_seen_ns = now;
	st->tcp_flags = flags;
}

/* Adds a packet to existing counters (slot or table). Atomic adds: table
 * entries are shared by CPUs, and per-CPU slots for the reason count() gives. */
static __always_inline void flow_add(struct hl_flow_stats *st, const struct hl_event *ev, __u64 segs, __u64 bytes,
				     __u64 flags)
{
	__sync_fetch_and_add(&st->packets, segs);
	__sync_fetch_and_add(&st->bytes, bytes);
	if ((st->tcp_flags | flags) != st->tcp_flags)
		__sync_fetch_and_or(&st->tcp_flags, flags);
	if (ev->mono_ns > st->last_seen_ns)
		st->last_seen_ns = ev->mono_ns;
}

/* Adds the packet to its flow's counters: this CPU's slot for the flow in
 * hl_flow_slots when the flow has it or can claim it, else the table hl_flows
 * points to (see capture.h, "Flow counters"). For IP packets that passed the
 * filters. key: the packet's flow, h: its key_hash. precise: whether
 * ev->mono_ns is bpf_ktime_get_ns() rather than the coarse clock (see
 * capture()); a new entry's first_seen_ns always is.
 *
 * Global so the verifier checks it once, like hl_parse. */
__noinline int hl_flow(const struct hl_event *ev, const struct hl_flow_key *key, __u32 h, int precise)
{
	struct hl_flow_stats *st;
	struct hl_flow_slot *slot;
	__u32 zero = 0, gen_key = HL_CTL_FLOW_GEN, slots = hl_cfg.flow_slots, idx, *gen;
	__u64 segs, bytes, flags = 0;
	void *table;

	if (!ev || !key || hl_cfg.flow_entries == 0 || ev->ip_version == 0)
		return 0;
	segs = ev->gso_segs > 1 ? ev->gso_segs : 1;
	bytes = ev->pkt_len;
	/* Each further segment of a super-packet carries its own copy of the
	 * headers in front of the payload. */
	if (segs > 1 && ev->payload_off != 0xffff)
		bytes += (segs - 1) * ev->payload_off;
	if (ev->ip_proto == IPPROTO_TCP && (ev->parse_flags & HL_PF_L4_PARSED))
		flags = ev->tcp_flags;

	if (slots != 0) {
		gen = bpf_map_lookup_elem(&hl_control, &gen_key);
		/* This CPU's region, then the half, then the slot. */
		idx = (bpf_get_smp_processor_id() * 2 + (gen && (*gen & 1) ? 1 : 0)) * slots + (h & (slots - 1));
		slot = bpf_map_lookup_elem(&hl_flow_slots, &idx);
		if (slot && slot->state == HL_SLOT_READY && key_equal(&slot->key, key)) {
			flow_add(&slot->stats, ev, segs, bytes, flags);
			return 0;
		}
		/* The compare-and-swap makes the claim whole even if another run on
		 * this CPU interleaves; only this CPU ever writes its slots. */
		if (slot && slot->state == HL_SLOT_EMPTY &&
		    __sync_val_compare_and_swap(&slot->state, HL_SLOT_EMPTY, HL_SLOT_CLAIMED) == HL_SLOT_EMPTY) {
			__builtin_memcpy(&slot->key, key, sizeof(*key));
			flow_init(&slot->stats, ev, precise, segs, bytes, flags);
			slot->state = HL_SLOT_READY;
			return 0;
		}
	}

	table = bpf_map_lookup_elem(&hl_flows, &zero);
	if (!table) {
		/* Slot 0 is never empty (the collector only swaps tables); counted
		 * so that even that would not go unnoticed. */
		count(HL_CNT_FLOW_TABLE_FULL);
		return 0;
	}
	st = bpf_map_lookup_elem(table, key);
	if (!st) {
		struct hl_flow_stats init;

		flow_init(&init, ev, precise, segs, bytes, flags);
		if (bpf_map_update_elem(table, key, &init, BPF_NOEXIST) == 0)
			return 0;
		/* Another CPU created it meanwhile (then add to that), or the table is full. */
		st = bpf_map_lookup_elem(table, key);
		if (!st) {
			count(HL_CNT_FLOW_TABLE_FULL);
			return 0;
		}
	}
	flow_add(st, ev, segs, bytes, flags);
	return 0;
}

/* Decides keep or drop for a packet that passed the filters and sets
 * keep_reason and sample_rate; returns 0 when it is sampled out. l7: whether
 * the packet carries application-layer header bytes (HL_PF_L7 once hl_l7 has
 * run; before, whether it starts a message, a subset of that). */
static __always_inline int hl_keep(struct hl_event *ev, int l7)
{
	__u32 rate = hl_cfg.sample_rate, keep = hl_cfg.keep_flags;

	ev->sample_rate = 1;
	if (ev->ip_version == 0) {
		ev->keep_reason = HL_KEEP_NOT_IP;
		return 1;
	}
	if ((keep & HL_KEEPF_TCP_CONTROL) && ev->ip_proto == IPPROTO_TCP && (ev->parse_flags & HL_PF_L4_PARSED) &&
	    (ev->tcp_flags & (HL_TCP_SYN | HL_TCP_FIN | HL_TCP_RST))) {
		ev->keep_reason = HL_KEEP_TCP_CONTROL;
		return 1;
	}
	if ((keep & HL_KEEPF_L7) && l7) {
		ev->keep_reason = HL_KEEP_L7;
		return 1;
	}
	if (rate == 0)
		rate = 1;
	ev->keep_reason = HL_KEEP_SAMPLED;
	ev->sample_rate = rate;
	/* Kept for ceil(2^32 / rate) of the 2^32 values of the low half (capture.h). */
	return (((ev->packet_hash & 0xffffffffULL) * rate) >> 32) == 0;
}

static __always_inline int capture(struct __sk_buff *skb, __u8 direction)
{
	struct hl_event ev;
	struct hl_flow_key key;
	__u32 fs_key = HL_CTL_FILTER_STATE, h, *fs, filters;
	__u64 prefix;
	int l7, precise;

	count(HL_CNT_SEEN);
	__builtin_memset(&ev, 0, sizeof(ev));
	/* Two clocks. A record carries bpf_ktime_get_ns(), but on a KVM guest
	 * (kvm-clock) that costs ~150 ns per call under load, as much as all the
	 * flow counting; most packets are sampled out and only need the time for
	 * their flow's last_seen_ns and the L7 budget's expiry, for which the
	 * coarse clock (the last tick, ~40 ns) is close enough. So packets start
	 * on the coarse clock and switch to the precise one as soon as they are
	 * known to be kept: before the flow counters when the hash, a control
	 * flag or an L7 start decides it, else at emit (L7 follow segments). */
	ev.mono_ns = bpf_ktime_get_coarse_ns();
	ev.ifindex = skb->ifindex;
	ev.pkt_len = skb->len;
	ev.gso_segs = skb->gso_segs > 0xffff ? 0xffff : skb->gso_segs;
	ev.direction = direction;

	hl_parse(skb, &ev);
	/* Without rules (the common case) the filter is not even called. */
	fs = bpf_map_lookup_elem(&hl_control, &fs_key);
	filters = fs ? *fs : 0;
	if (filters && !hl_filter(&ev, filters)) {
		count(HL_CNT_FILTERED);
		return TCX_NEXT;
	}
	prefix = hl_prefix(skb, &ev);
	l7 = hl_l7_start(&ev, prefix);
	if (ev.ip_version != 0)
		ev.packet_hash = hl_hash(&ev, prefix);
	flow_key(&key, &ev);
	h = key_hash(&key);
	precise = hl_keep(&ev, l7 & HL_L7S_START);
	if (precise)
		ev.mono_ns = bpf_ktime_get_ns();
	hl_flow(&ev, &key, h, precise);
	hl_l7(&ev, &key, l7, h);

	if (ev.ip_version == 0)
		count(HL_CNT_NON_IP);
	if (ev.parse_flags & HL_PF_TRUNCATED)
		count(HL_CNT_TRUNCATED);
	if (ev.parse_flags & HL_PF_IPV6_EXT_LIMIT)
		count(HL_CNT_IPV6_EXT_LIMIT);
	if (ev.parse_flags & HL_PF_SNAP_CUT)
		count(HL_CNT_SNAP_CUT);
	if (ev.parse_flags & HL_PF_LOAD_FAILED)
		count(HL_CNT_LOAD_FAILED);

	if (!hl_keep(&ev, ev.parse_flags & HL_PF_L7)) {
		count(HL_CNT_SAMPLED_OUT);
		return TCX_NEXT;
	}
	if (!precise)
		ev.mono_ns = bpf_ktime_get_ns();
	if (emit(skb, &ev, ev.snap_len) < 0)
		count(HL_CNT_RINGBUF_FULL);
	else
		count(HL_CNT_SUBMITTED);
	return TCX_NEXT;
}

SEC("tc")
int hl_ingress(struct __sk_buff *skb)
{
	return capture(skb, HL_DIR_INGRESS);
}

SEC("tc")
int hl_egress(struct __sk_buff *skb)
{
	return capture(skb, HL_DIR_EGRESS);
}
