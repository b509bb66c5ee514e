// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The benchmark's baseline program: the cheapest useful TC program. It counts
 * every packet in a per-CPU counter and returns TCX_NEXT, nothing else, so
 * CaptureBenchmark can tell what attaching any TCX program costs apart from
 * what the capture program's parsing and ring-buffer copy cost.
 *
 * Not used by the collector; loaded by the benchmarks module (CountOnlyProgram).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Debian 12's UAPI headers predate TCX (kernel 6.6). */
#ifndef TCX_NEXT
#define TCX_NEXT -1
#endif

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* One slot: packets seen by either hook; a per-CPU array needs no atomics. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hl_count_only SEC(".maps");

SEC("tc")
int hl_count(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *packets = bpf_map_lookup_elem(&hl_count_only, &key);

	if (packets)
		*packets += 1;
	return TCX_NEXT;
}
