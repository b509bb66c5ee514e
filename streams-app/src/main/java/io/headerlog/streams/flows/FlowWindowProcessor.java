package io.headerlog.streams.flows;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.FlowWindowSummary;
import io.headerlog.schema.PacketHeader;
import io.headerlog.streams.correlate.TimeMath;
import io.headerlog.streams.state.DeadlineIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each flow direction per observation point in tumbling windows, from two inputs of one
 * task: enriched header records (an estimate, each record weighted by its combined sample rate) and
 * flows.raw records (the kernel's exact counters). Emits one FlowWindowSummary per window when the
 * window closes.
 *
 * <p>Both inputs are keyed by Community ID and have the same partition count, so partition p of each
 * is in task p: everything about a flow meets here without a repartition.
 *
 * <p><b>Time.</b> Event time is the observing host's own wall clock — captureTimeNs of a header,
 * lastSeenNs of a flow record — because that is the clock the kernel's flow times are on too; no
 * clock model is needed to put an estimate next to its exact count. A flows.raw record covers
 * [firstSeenNs, lastSeenNs]; it goes whole to the window of its lastSeenNs (the collector reports a
 * flow when it ends, so only that window has to be open when the record arrives, and exact counts
 * stay exact instead of being split by an assumed rate). The task's event time is the newest one
 * its records carried; a window closes when it passes the window's end plus the grace. If no record
 * moves it for {@link FlowWindowConfig#idleAdvance()}, it follows the wall clock from there, so the
 * last windows of a quiet partition still close a grace after their end — late enough for the
 * collectors' idle-flow exports, which come well after the traffic stopped. One limit, as in the
 * correlation: a host whose wall clock runs far ahead moves the task's event time with it and makes
 * the other hosts' records late — visible in the late counters.
 *
 * <p><b>Late and bounded.</b> A record whose window has closed is counted (with the exact counters
 * it carried) and dropped: a second record for a window would be read as the whole window. At most
 * {@link FlowWindowConfig#maxOpenWindows()} windows are open per task; one more closes the window due
 * soonest early (emitted, counted as evicted), and from then on windows starting no later than an
 * evicted one count as closed, so no window is ever emitted twice.
 */
public final class FlowWindowProcessor implements Processor<String, SpecificRecord, String, FlowWindowSummary> {
    private static final Logger LOG = LoggerFactory.getLogger(FlowWindowProcessor.class);
    private static final long NS_PER_MS = 1_000_000L;
    private static final long TICK_MS = 1_000;

    private final FlowWindowConfig config;
    private final String storeName;
    private final FlowWindowCounters counters;
    private final TumblingWindows windows;
    // The store is the durable copy (changelogged); this map spares decoding it on every record.
    private final Map<String, WindowTally> open = new HashMap<>();
    private final DeadlineIndex deadlines = new DeadlineIndex();
    private ProcessorContext<String, FlowWindowSummary> context;
    private KeyValueStore<String, byte[]> store;
    /** The task's event time: the newest record time, or its extrapolation on the wall clock when idle. */
    private long eventTimeNs = Long.MIN_VALUE;
    /** The newest event time a record carried, and the wall-clock moment it did. */
    private long recordTimeNs = Long.MIN_VALUE;
    private long recordTimeWallMs;
    /** Windows starting at or before this count as closed: one of them was evicted. */
    private long evictedThroughNs = Long.MIN_VALUE;

    public FlowWindowProcessor(FlowWindowConfig config, String storeName, FlowWindowCounters counters) {
        this.config = config;
        this.storeName = storeName;
        this.counters = counters;
        this.windows = new TumblingWindows(config.windowNs(), config.graceNs());
    }

    @Override
    public void init(ProcessorContext<String, FlowWindowSummary> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        restore();
        if (config.idleAdvanceEnabled()) {
            long tick = Math.min(TICK_MS, config.idleAdvance().toMillis());
            context.schedule(Duration.ofMillis(tick), PunctuationType.WALL_CLOCK_TIME, this::advanceIfIdle);
        }
    }

    /** Rebuilds the open windows, their deadlines and the event time (the newest stored record's) from the store. */
    private void restore() {
        List<String> unreadable = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                try {
                    WindowTally t = WindowTallyCodec.decode(kv.value);
                    open.put(kv.key, t);
                    deadlines.put(kv.key, windows.deadlineOf(t.windowStartNs()));
                    recordTimeNs = Math.max(recordTimeNs, t.maxEventTimeNs());
                } catch (IllegalArgumentException e) {
                    unreadable.add(kv.key);
                }
            }
        }
        // State of another format (a rolled-back upgrade): a window's counts are not worth a task that cannot start.
        unreadable.forEach(store::delete);
        if (!unreadable.isEmpty()) {
            LOG.warn("flow windows: dropped {} unreadable open windows from {}", unreadable.size(), storeName);
        }
        eventTimeNs = recordTimeNs;
        recordTimeWallMs = context.currentSystemTimeMs();
        counters.recordOpened(open.size());
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord value = record.value();
        if (value instanceof EnrichedHeader e) {
            header(record.key(), e.getHeader(), e.getCombinedSampleRate(), record.timestamp());
        } else if (value instanceof FlowSummary f) {
            flow(record.key(), f, record.timestamp());
        } else if (value == null) {
            counters.recordSkippedUnkeyed(); // a tombstone on flows.raw: nothing to count
        } else {
            // Not reachable through the topology (two typed sources): a wiring mistake, not data.
            throw new IllegalArgumentException("flow windows read an unexpected " + value.getClass().getName());
        }
    }

    private void header(String recordKey, PacketHeader h, long rate, long timestampMs) {
        // Further application messages of one packet repeat its fields: one count per packet.
        if (h.getAppMessageIndex() > 0) {
            counters.recordSkippedCopy();
            return;
        }
        FlowPoint point = FlowPoint.of(recordKey, h);
        if (point == null) {
            counters.recordSkippedUnkeyed();
            return;
        }
        long t = h.getCaptureTimeNs();
        long start = windows.startOf(t);
        String key = point.storeKey(start);
        WindowTally tally = openOrNull(key, point, start);
        if (tally == null) {
            counters.recordLateHeader();
            return;
        }
        tally.addHeader(rate, WireCount.packets(h), WireCount.bytes(h), t, timestampMs);
        store.put(key, WindowTallyCodec.encode(tally));
        counters.recordHeader();
        advance(t);
    }

    private void flow(String recordKey, FlowSummary f, long timestampMs) {
        FlowPoint point = FlowPoint.of(recordKey, f);
        long t = f.getLastSeenNs();
        long start = windows.startOf(t);
        String key = point.storeKey(start);
        WindowTally tally = openOrNull(key, point, start);
        if (tally == null) {
            counters.recordLateFlow(f.getPackets(), f.getBytes());
            return;
        }
        tally.addFlow(f, timestampMs);
        store.put(key, WindowTallyCodec.encode(tally));
        counters.recordFlow();
        advance(t);
    }

    /** The point's open window starting at {@code start}, opened if it may still be; null if it has closed. */
    private WindowTally openOrNull(String key, FlowPoint point, long start) {
        WindowTally tally = open.get(key);
        if (tally != null) {
            return tally;
        }
        if (isClosed(start)) {
            return null;
        }
        makeRoom();
        tally = new WindowTally(point, start);
        open.put(key, tally);
        deadlines.put(key, windows.deadlineOf(start));
        counters.recordOpened(1);
        return tally;
    }

    private boolean isClosed(long start) {
        return (eventTimeNs != Long.MIN_VALUE && windows.deadlineOf(start) <= eventTimeNs) || start <= evictedThroughNs;
    }

    /** Keeps the task within its bound: closes the windows due soonest early. */
    private void makeRoom() {
        while (open.size() >= config.maxOpenWindows()) {
            String soonest = deadlines.earliest();
            WindowTally t = open.get(soonest);
            evictedThroughNs = Math.max(evictedThroughNs, t.windowStartNs());
            counters.recordEvicted();
            close(soonest, FlowWindowRecords.CLOSED_BY_EVICTION);
        }
    }

    /** Moves event time to a record's time (never back) and closes what is due. */
    private void advance(long t) {
        if (t > recordTimeNs) {
            recordTimeNs = t;
            recordTimeWallMs = context.currentSystemTimeMs();
        }
        if (t > eventTimeNs) {
            eventTimeNs = t;
            closeDue(FlowWindowRecords.CLOSED_BY_WINDOW);
        }
    }

    /**
     * Wall-clock punctuation: once no record has moved event time for the idle-advance time, event
     * time runs on from the newest record's time at the wall clock's pace, and windows whose end +
     * grace it passes close. A record arriving later is judged against that time, as if traffic had
     * kept the clock moving.
     */
    private void advanceIfIdle(long wallClockMs) {
        if (recordTimeNs == Long.MIN_VALUE) {
            return;
        }
        long idleMs = wallClockMs - recordTimeWallMs;
        if (idleMs < config.idleAdvance().toMillis()) {
            return;
        }
        long extrapolated = TimeMath.saturatedAdd(recordTimeNs,
                idleMs > Long.MAX_VALUE / NS_PER_MS ? Long.MAX_VALUE : idleMs * NS_PER_MS);
        if (extrapolated > eventTimeNs) {
            eventTimeNs = extrapolated;
            closeDue(FlowWindowRecords.CLOSED_BY_IDLE);
        }
    }

    private void closeDue(String reason) {
        String key;
        while ((key = deadlines.dueAt(eventTimeNs)) != null) {
            close(key, reason);
        }
    }

    private void close(String key, String reason) {
        WindowTally t = open.remove(key);
        deadlines.remove(key);
        store.delete(key);
        counters.recordOpened(-1);
        FlowWindowSummary out = FlowWindowRecords.toRecord(t, windows.endOf(t.windowStartNs()), reason,
                context.currentSystemTimeMs());
        // The newest input timestamp of the window: output time follows input time, as Kafka's own
        // aggregations do, whatever moment the window happened to close.
        context.forward(new Record<>(t.point().communityId(), out, t.lastRecordTimestampMs()));
        counters.recordEmitted();
    }

    @Override
    public void close() {
        // The store stays (and goes with the task); only this instance's gauge forgets it.
        counters.recordOpened(-open.size());
    }
}
