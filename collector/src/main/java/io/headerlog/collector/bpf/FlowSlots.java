package io.headerlog.collector.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The kernel's per-CPU flow slots (bpf/capture.h, "Flow counters"): which half of each CPU's region of
 * {@code hl_flow_slots} the programs fill, and reading and emptying the other halves once no program
 * writes to them any more. {@link FlowTable} drives it together with its table swap.
 *
 * <p>Not thread-safe; FlowTable serializes the calls.
 */
final class FlowSlots {

    /** Receives one flow's key and counters ({@code struct hl_flow_key}, {@code struct hl_flow_stats}). */
    interface Sink {
        void add(Pointer keys, long keyOffset, Pointer stats, long statsOffset);
    }

    /** Read and zeroing buffers stay below this many bytes, whatever the number of slots. */
    private static final int BUFFER_BYTES = 1 << 20;

    private final int slotsFd;
    private final int controlFd;
    private final int slots;
    private final int cpus;
    private final int batch;
    private final Memory keys;
    private final Memory values;
    private final Memory zeros;
    /** The keys of the filled entries of the last batch (what is zeroed), and their index in it. */
    private final Memory used;
    private final int[] filledAt;
    private final Memory genKey = new Memory(4);
    private final Memory genValue = new Memory(4);
    private final Memory inBatch = new Memory(4);
    private final Memory outBatch = new Memory(4);

    /**
     * @param slots slots in each half of a CPU's region ({@link CaptureConfig#flowSlots()}); 0 = none, then
     *              every call does nothing
     * @param cpus  possible CPUs (the number of regions)
     */
    FlowSlots(int slotsFd, int controlFd, int slots, int cpus) {
        this.slotsFd = slotsFd;
        this.controlFd = controlFd;
        this.slots = slots;
        this.cpus = cpus;
        this.batch = Math.max(1, Math.min(Math.max(1, slots), BUFFER_BYTES / EventLayout.FLOW_SLOT_SIZE));
        this.keys = new Memory(4L * batch);
        this.values = new Memory((long) batch * EventLayout.FLOW_SLOT_SIZE);
        this.zeros = new Memory((long) batch * EventLayout.FLOW_SLOT_SIZE);
        this.used = new Memory(4L * batch);
        this.filledAt = new int[batch];
        zeros.clear();
        genKey.setInt(0, EventLayout.CTL_FLOW_GEN);
    }

    /** The first {@code hl_flow_slots} key of {@code half} of {@code cpu}'s region (capture.bpf.c, hl_flow). */
    static int firstKey(int cpu, int half, int slots) {
        return (cpu * 2 + half) * slots;
    }

    /**
     * Points the programs at {@code half} (0 or 1). Call it before swapping the flow tables: the swap's
     * grace period then also covers every program run that still fills the other half.
     */
    void fill(int half) {
        if (slots == 0) {
            return;
        }
        genValue.setInt(0, half);
        int rc = LibBpf.bpf_map_update_elem(controlFd, genKey, genValue, LibBpf.BPF_ANY);
        if (rc < 0) {
            throw new BpfException("switching the kernel flow slots failed: " + CaptureProgram.strerror(-rc)
                    + "; flow counters keep going into the current slots and table", -rc);
        }
    }

    /**
     * Hands every filled slot of {@code half} (of every CPU) to {@code sink} and empties it; no program may
     * write to that half any more. Each batch is emptied before it is handed over, so a failure leaves
     * slots in the kernel for the next call rather than counting them twice. Returns the number of
     * entries handed over.
     */
    int drain(int half, Sink sink) {
        int entries = 0;
        for (int cpu = 0; cpu < cpus && slots > 0; cpu++) {
            entries += drainFrom(firstKey(cpu, half, slots), sink);
        }
        return entries;
    }

    /** {@link #drain} for the {@code slots} keys from {@code first} on. */
    private int drainFrom(int first, Sink sink) {
        int entries = 0;
        int read = 0;
        Pointer in = null;
        if (first > 0) {
            inBatch.setInt(0, first - 1); // the key before the first one to read
            in = inBatch;
        }
        int[] count = new int[1];
        while (read < slots) {
            count[0] = Math.min(batch, slots - read);
            int rc = LibBpf.bpf_map_lookup_batch(slotsFd, in, outBatch, keys, values, count, null);
            if (rc < 0 && -rc != LibC.ENOENT) {
                throw new BpfException("reading the kernel flow slots failed: " + CaptureProgram.strerror(-rc)
                        + "; their flows stay in the kernel until the next collection", -rc);
            }
            int n = count[0];
            int filled = 0;
            for (int i = 0; i < n; i++) {
                if (values.getLong((long) i * EventLayout.FLOW_SLOT_SIZE + EventLayout.FLOW_SLOT_STATE) != 0) {
                    used.setInt(4L * filled, keys.getInt(4L * i));
                    filledAt[filled++] = i;
                }
            }
            entries += empty(filled, sink);
            read += n;
            if (rc < 0 || n == 0) {
                return entries;
            }
            inBatch.setInt(0, outBatch.getInt(0));
            in = inBatch;
        }
        return entries;
    }

    /** Zeroes the first {@code filled} keys of {@code used}, then hands over the ones that were zeroed. */
    private int empty(int filled, Sink sink) {
        if (filled == 0) {
            return 0;
        }
        int[] count = {filled};
        int rc = LibBpf.bpf_map_update_batch(slotsFd, used, zeros, count, null);
        int entries = 0;
        for (int k = 0; k < Math.min(count[0], filled); k++) {
            long v = (long) filledAt[k] * EventLayout.FLOW_SLOT_SIZE;
            if (values.getLong(v + EventLayout.FLOW_SLOT_STATE) == EventLayout.SLOT_READY) {
                sink.add(values, v + EventLayout.FLOW_SLOT_KEY, values, v + EventLayout.FLOW_SLOT_STATS);
                entries++;
            }
        }
        if (rc < 0) {
            throw new BpfException("emptying the kernel flow slots failed: " + CaptureProgram.strerror(-rc)
                    + "; " + (filled - count[0]) + " of them stay in the kernel until the next collection", -rc);
        }
        return entries;
    }
}
