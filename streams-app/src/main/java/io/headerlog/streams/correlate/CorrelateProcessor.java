package io.headerlog.streams.correlate;

import io.headerlog.schema.CorrelatedPacket;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.streams.state.DeadlineIndex;
import java.util.ArrayList;
import java.util.List;
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
 * Collects the sightings of each packet label across hosts and emits a CorrelatedPacket when the
 * packet's window closes, if two or more hosts saw it.
 *
 * <p>Runs on the enriched stream as it is keyed — by Community ID, so every host's records of a
 * flow are already in this task and nothing is repartitioned. Open packets live in a changelogged
 * store keyed by flow and label (a label is only unique within its flow), the deadlines beside it
 * in memory.
 *
 * <p><b>Time.</b> Windows run on event time — alignedTimeNs, else captureTimeNs — and the task's
 * event time is the latest one it has processed: Kafka's stream-time semantics, but on the packet's
 * own time instead of the record timestamp. The record timestamp is the collector's send time, so a
 * collector that publishes a second late would stamp its sightings a second later and split them
 * from their packet; on capture time they still sit next to their partners and are merely out of
 * order, which the grace absorbs. Packets close while records are processed (no punctuation is
 * needed for that: event time only moves then); a wall-clock punctuation closes the rest when a
 * partition goes quiet ({@link CorrelationConfig#idleFlush()}). One limit: an unaligned host whose
 * clock runs far ahead moves the task's event time with it and makes the others' sightings late —
 * visible in the late counter, and gone once the host has a clock model.
 *
 * <p><b>Late.</b> A sighting whose packet has already closed, or whose own window would already be
 * past its deadline, is counted and dropped: no record, since a second, partial record of a packet
 * already emitted would double-count it downstream.
 */
public final class CorrelateProcessor implements Processor<String, EnrichedHeader, String, CorrelatedPacket> {
    private static final Logger LOG = LoggerFactory.getLogger(CorrelateProcessor.class);

    private final CorrelationConfig config;
    private final String storeName;
    private final CorrelationCounters counters;
    private final long windowNs;
    private final long graceNs;
    private final DeadlineIndex index = new DeadlineIndex();
    private ProcessorContext<String, CorrelatedPacket> context;
    private KeyValueStore<String, byte[]> store;
    private RecentlyClosed recentlyClosed;
    private FlowHosts flows;
    private long eventTimeNs = Long.MIN_VALUE;
    private long eventTimeAtLastTick = Long.MIN_VALUE;
    // This task's share of the instance-wide open gauges, handed back when the task moves away.
    private long openSightings;

    public CorrelateProcessor(CorrelationConfig config, String storeName, CorrelationCounters counters) {
        this.config = config;
        this.storeName = storeName;
        this.counters = counters;
        this.windowNs = config.windowNs();
        this.graceNs = config.graceNs();
    }

    @Override
    public void init(ProcessorContext<String, CorrelatedPacket> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.recentlyClosed = new RecentlyClosed(config.maxOpenPackets());
        this.flows = new FlowHosts(config.maxOpenPackets());
        restore();
        if (config.idleFlushEnabled()) {
            context.schedule(config.idleFlush(), PunctuationType.WALL_CLOCK_TIME, this::flushIfIdle);
        }
    }

    /** Rebuilds the deadlines and the event time (at least the newest stored sighting's) from the store. */
    private void restore() {
        List<String> unreadable = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                try {
                    OpenPacket p = OpenPacketCodec.decode(kv.value);
                    index.put(kv.key, p.deadlineNs(windowNs, graceNs));
                    eventTimeNs = Math.max(eventTimeNs, p.endNs());
                    openSightings += p.observationCount();
                } catch (IllegalArgumentException e) {
                    unreadable.add(kv.key);
                }
            }
        }
        // State of another format (a rolled-back upgrade): seconds of open packets are not worth a
        // task that cannot start.
        for (String key : unreadable) {
            store.delete(key);
        }
        if (!unreadable.isEmpty()) {
            LOG.warn("packet correlation: dropped {} unreadable open packets from {}", unreadable.size(), storeName);
        }
        counters.recordOpened(index.size(), openSightings);
    }

    @Override
    public void process(Record<String, EnrichedHeader> record) {
        EnrichedHeader value = record.value();
        if (value == null) {
            return;
        }
        PacketHeader h = value.getHeader();
        // Further application messages of one packet repeat its fields: one sighting per packet.
        if (h.getAppMessageIndex() > 0) {
            counters.recordSkippedCopy();
            return;
        }
        String flow = record.key() != null ? record.key() : h.getCommunityId();
        if (h.getPacketHash() == null || flow == null) {
            counters.recordSkippedUnlabelled();
            return;
        }
        counters.recordObservation();
        Sighting s = Sighting.of(value);
        flows.saw(flow, s.host());
        offer(flow, h.getPacketHash(), s, value, record.timestamp());
        eventTimeNs = Math.max(eventTimeNs, s.eventTimeNs());
        closeDue(CorrelatedPackets.CLOSED_BY_WINDOW);
    }

    private void offer(String flow, long hash, Sighting s, EnrichedHeader value, long recordTimestampMs) {
        String key = key(flow, hash);
        long t = s.eventTimeNs();
        OpenPacket open = load(key);
        if (open != null && !open.fits(t, windowNs)) {
            if (isLate(t)) {
                counters.recordLate(); // an older crossing of the label, long closed
                return;
            }
            close(key, open, CorrelatedPackets.CLOSED_BY_SUPERSEDED);
            open = null;
        }
        if (open == null) {
            if (isLate(t) || recentlyClosed.belongsToClosed(key, t, windowNs)) {
                counters.recordLate();
                return;
            }
            makeRoom();
            open = OpenPacket.first(flow, hash, PacketSummary.of(value), s, recordTimestampMs);
            counters.recordOpened(1, 1);
        } else {
            open.add(s, recordTimestampMs);
            counters.recordOpened(0, 1);
        }
        openSightings++;
        store.put(key, OpenPacketCodec.encode(open));
        index.put(key, open.deadlineNs(windowNs, graceNs));
    }

    /** Its window (starting at the latest at {@code t}) closed before it arrived. */
    private boolean isLate(long t) {
        return eventTimeNs != Long.MIN_VALUE
                && TimeMath.saturatedAdd(TimeMath.saturatedAdd(t, windowNs), graceNs) <= eventTimeNs;
    }

    /** Keeps the store within its bound: closes the oldest packets early. */
    private void makeRoom() {
        while (index.size() >= config.maxOpenPackets()) {
            String oldest = index.earliest();
            OpenPacket p = load(oldest);
            if (p == null) {
                index.remove(oldest);
                continue;
            }
            counters.recordEvicted();
            close(oldest, p, CorrelatedPackets.CLOSED_BY_EVICTION);
        }
    }

    private void closeDue(String reason) {
        String key;
        while ((key = index.dueAt(eventTimeNs)) != null) {
            OpenPacket p = load(key);
            if (p == null) {
                index.remove(key);
            } else {
                close(key, p, reason);
            }
        }
    }

    private void close(String key, OpenPacket p, String reason) {
        store.delete(key);
        index.remove(key);
        recentlyClosed.closed(key, p.startNs(), p.endNs());
        int n = p.observationCount();
        openSightings -= n;
        counters.recordOpened(-1, -n);
        if (p.ambiguous()) {
            counters.recordAmbiguous(n);
        } else if (p.hostCount() >= 2) {
            CorrelatedPacket out = CorrelatedPackets.toRecord(p, reason, context.currentSystemTimeMs());
            // The newest input timestamp among its sightings: output time follows input time, as
            // Kafka's own aggregations do, whatever moment the window happened to close.
            context.forward(new Record<>(p.communityId(), out, p.lastRecordTimestampMs()));
            counters.recordCorrelated(n);
        } else {
            counters.recordSingleHost(n, flows.multiHost(p.communityId()));
        }
    }

    /**
     * Wall-clock punctuation: if no record moved event time since the last tick, moves it to the
     * latest open deadline — as if time had passed every open window — and closes them. Event time
     * goes no further than that, so sightings that arrive later are judged as if the deadlines had
     * been reached by traffic.
     */
    private void flushIfIdle(long wallClockMs) {
        if (!index.isEmpty() && eventTimeNs == eventTimeAtLastTick) {
            eventTimeNs = Math.max(eventTimeNs, index.latestDeadline());
            closeDue(CorrelatedPackets.CLOSED_BY_IDLE);
        }
        eventTimeAtLastTick = eventTimeNs;
    }

    private OpenPacket load(String key) {
        byte[] bytes = store.get(key);
        return bytes == null ? null : OpenPacketCodec.decode(bytes);
    }

    /** Store key: a label is unique only within its flow. */
    static String key(String flow, long packetHash) {
        return flow + '|' + packetHash;
    }

    @Override
    public void close() {
        // The store stays (and goes with the task); only this instance's gauges forget it.
        counters.recordOpened(-index.size(), -openSightings);
    }
}
