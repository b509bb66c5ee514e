package io.headerlog.benchmarks.capture;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The libbpf 1.x calls the benchmark needs beyond the collector's binding (LibBpf): statistics on,
 * and a descriptor for a map another process owns. Both return a descriptor or a negative errno.
 */
interface BpfCalls extends Library {
    BpfCalls INSTANCE = Native.load("libbpf.so.1", BpfCalls.class);

    /** BPF_ENABLE_STATS: run-time statistics are counted while the returned descriptor is open. */
    int bpf_enable_stats(int type);

    /** A new descriptor for the map with kernel id {@code id} (root). */
    int bpf_map_get_fd_by_id(int id);
}
