package io.headerlog.collector.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The kernel's per-flow counters (bpf/capture.h, "Flow counters"), read out as {@link FlowEntry}s when
 * flows end (idle timeout), grow old (active timeout) or the collector stops.
 *
 * <p>How no count is lost: the programs fill one of two kernel tables, and one of two halves of the
 * per-CPU flow slots in front of them ({@link FlowSlots}). {@link #collect} first points them at the
 * other half and the other table — the table swap is a map update that returns only once every program
 * run that could still use the old table or half has finished — then reads and empties the old ones
 * with no writer left, and adds what they held to the flows kept here between collections (a flow seen
 * by several CPUs, or in a slot and the table, is added up by key). So the kernel only holds the flows of
 * one collection interval, and the timeouts are judged on the merged counts.
 *
 * <p>Call {@link #collect} every few seconds (each call costs a kernel RCU grace period, milliseconds,
 * plus one batch read per 1024 flows and one or a few for the slots), and {@link #drainAll} after
 * detaching the programs and before closing the {@link CaptureProgram}: flows held here die with this
 * object.
 *
 * <p>Thread-safe (calls are serialized with the program's other operations).
 */
public final class FlowTable {

    private static final int BATCH = 1024;

    private final CaptureProgram owner;
    private final int outerFd;
    private final int[] tableFds;
    private final boolean enabled;
    private final FlowSlots slots;
    private Drained drained = new Drained(0, 0);
    /** The table the programs fill: 0 = hl_flows_a, the initial value of hl_flows[0]. */
    private int filling;
    private final Map<Key, Counts> held = new HashMap<>();
    private final Memory keys = new Memory((long) BATCH * EventLayout.FLOW_KEY_SIZE);
    private final Memory values = new Memory((long) BATCH * EventLayout.FLOW_SIZE);
    private final Memory inBatch = new Memory(8);
    private final Memory outBatch = new Memory(8);
    private final Memory slot = new Memory(4);
    private final Memory fd = new Memory(4);

    FlowTable(CaptureProgram owner, int outerFd, int tableAFd, int tableBFd, boolean enabled, FlowSlots slots) {
        this.owner = owner;
        this.outerFd = outerFd;
        this.tableFds = new int[] {tableAFd, tableBFd};
        this.enabled = enabled;
        this.slots = slots;
        slot.setInt(0, 0);
    }

    /** Kernel entries the last {@link #collect} or {@link #drainAll} read: from per-CPU slots and from the tables. */
    public record Drained(int slotEntries, int tableEntries) {
        Drained plus(Drained o) {
            return new Drained(slotEntries + o.slotEntries, tableEntries + o.tableEntries);
        }
    }

    public Drained lastDrained() {
        synchronized (owner) {
            return drained;
        }
    }

    /** False when the program was loaded with {@code flowEntries = 0}: then nothing is ever collected. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Takes in what the kernel counted since the last call, then returns and forgets the flows whose last
     * packet is at least {@code idle} before {@code nowMonoNs} (reason IDLE) and those whose first packet
     * is at least {@code active} before it (reason ACTIVE: their next packets start a new entry, counted
     * from 0), oldest first.
     *
     * @param nowMonoNs CLOCK_MONOTONIC now, e.g. {@link System#nanoTime()} (the JVM's clock on Linux)
     */
    public List<FlowEntry> collect(long nowMonoNs, Duration idle, Duration active) {
        if (idle.isNegative() || idle.isZero() || active.isNegative() || active.isZero()) {
            throw new IllegalArgumentException("flow timeouts must be positive, got idle " + idle + " and active " + active);
        }
        long idleNs = idle.toNanos();
        long activeNs = active.toNanos();
        synchronized (owner) {
            owner.checkOpen();
            if (!enabled) {
                return List.of();
            }
            drained = swapAndDrain();
            List<FlowEntry> out = new ArrayList<>();
            for (Iterator<Map.Entry<Key, Counts>> it = held.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Counts> e = it.next();
                Counts c = e.getValue();
                FlowEntry.EndReason reason = nowMonoNs - c.last >= idleNs ? FlowEntry.EndReason.IDLE
                        : nowMonoNs - c.first >= activeNs ? FlowEntry.EndReason.ACTIVE : null;
                if (reason != null) {
                    out.add(e.getKey().entry(c, reason));
                    it.remove();
                }
            }
            out.sort(Comparator.comparingLong(FlowEntry::firstSeenNs));
            return out;
        }
    }

    /**
     * Takes in both kernel tables and returns every flow (reason SHUTDOWN), oldest first. Complete once
     * the programs are detached; packets counted after it are left for a later call.
     */
    public List<FlowEntry> drainAll() {
        synchronized (owner) {
            owner.checkOpen();
            if (!enabled) {
                return List.of();
            }
            drained = swapAndDrain().plus(swapAndDrain());
            List<FlowEntry> out = new ArrayList<>();
            held.forEach((k, c) -> out.add(k.entry(c, FlowEntry.EndReason.SHUTDOWN)));
            held.clear();
            out.sort(Comparator.comparingLong(FlowEntry::firstSeenNs));
            return out;
        }
    }

    /** Flows taken out of the kernel and not emitted yet (still within both timeouts). */
    public int heldFlows() {
        synchronized (owner) {
            return held.size();
        }
    }

    private Drained swapAndDrain() {
        int old = filling;
        int next = 1 - old;
        slots.fill(next);
        fd.setInt(0, tableFds[next]);
        // For map-in-map types the kernel waits for an RCU grace period before returning, so once this
        // returns no program run still holds a pointer into the old table.
        int rc = LibBpf.bpf_map_update_elem(outerFd, slot, fd, LibBpf.BPF_ANY);
        if (rc < 0) {
            throw new BpfException("switching the kernel flow table failed: " + CaptureProgram.strerror(-rc)
                    + "; flow counters keep going into the current table", -rc);
        }
        filling = next;
        int fromTable = drain(tableFds[old]);
        return new Drained(slots.drain(old, this::merge), fromTable);
    }

    /** Reads and deletes every entry of a table nobody writes to any more; returns how many. */
    private int drain(int tableFd) {
        Pointer in = null;
        int[] count = new int[1];
        int entries = 0;
        while (true) {
            count[0] = BATCH;
            int rc = LibBpf.bpf_map_lookup_and_delete_batch(tableFd, in, outBatch, keys, values, count, null);
            if (rc < 0 && -rc != LibC.ENOENT) {
                throw new BpfException("reading the kernel flow table failed: " + CaptureProgram.strerror(-rc)
                        + "; its flows stay in the kernel until the next collection", -rc);
            }
            for (int i = 0; i < count[0]; i++) {
                merge(keys, (long) i * EventLayout.FLOW_KEY_SIZE, values, (long) i * EventLayout.FLOW_SIZE);
            }
            entries += count[0];
            if (rc < 0) {
                return entries; // ENOENT: that was the last batch
            }
            inBatch.write(0, outBatch.getByteArray(0, 8), 0, 8);
            in = inBatch;
        }
    }

    /** Adds a struct hl_flow_key at {@code keyBuf + k} and its struct hl_flow_stats at {@code statsBuf + v}. */
    private void merge(Pointer keyBuf, long k, Pointer statsBuf, long v) {
        Key key = new Key(keyBuf.getByteArray(k, EventLayout.FLOW_KEY_SIZE));
        long packets = statsBuf.getLong(v + EventLayout.FLOW_PACKETS);
        long bytes = statsBuf.getLong(v + EventLayout.FLOW_BYTES);
        long first = statsBuf.getLong(v + EventLayout.FLOW_FIRST_SEEN_NS);
        long last = statsBuf.getLong(v + EventLayout.FLOW_LAST_SEEN_NS);
        long flags = statsBuf.getLong(v + EventLayout.FLOW_TCP_FLAGS);
        Counts c = held.get(key);
        if (c == null) {
            held.put(key, new Counts(packets, bytes, first, last, (int) flags));
        } else {
            c.packets += packets;
            c.bytes += bytes;
            c.first = Math.min(c.first, first);
            c.last = Math.max(c.last, last);
            c.flags |= (int) flags;
        }
    }

    /** Merged counters of one flow. */
    private static final class Counts {
        long packets;
        long bytes;
        long first;
        long last;
        int flags;

        Counts(long packets, long bytes, long first, long last, int flags) {
            this.packets = packets;
            this.bytes = bytes;
            this.first = first;
            this.last = last;
            this.flags = flags;
        }
    }

    /** The raw bytes of a struct hl_flow_key, compared by content. */
    private static final class Key {
        private final byte[] raw;
        private final int hash;

        Key(byte[] raw) {
            this.raw = raw;
            this.hash = Arrays.hashCode(raw);
        }

        FlowEntry entry(Counts c, FlowEntry.EndReason reason) {
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
            int version = raw[EventLayout.FLOW_KEY_IP_VERSION];
            int addrLen = version == 4 ? 4 : 16;
            return new FlowEntry(
                    b.getInt(EventLayout.FLOW_KEY_IFINDEX),
                    Direction.ofWireValue(raw[EventLayout.FLOW_KEY_DIRECTION]),
                    version,
                    raw[EventLayout.FLOW_KEY_IP_PROTO] & 0xff,
                    Arrays.copyOfRange(raw, EventLayout.FLOW_KEY_SADDR, EventLayout.FLOW_KEY_SADDR + addrLen),
                    Arrays.copyOfRange(raw, EventLayout.FLOW_KEY_DADDR, EventLayout.FLOW_KEY_DADDR + addrLen),
                    b.getShort(EventLayout.FLOW_KEY_SPORT) & 0xffff,
                    b.getShort(EventLayout.FLOW_KEY_DPORT) & 0xffff,
                    c.packets,
                    c.bytes,
                    c.first,
                    c.last,
                    c.flags,
                    reason);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.raw, raw);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
