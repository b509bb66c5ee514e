package io.headerlog.streams.align;

import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.streams.EnrichCounters;
import io.headerlog.streams.clock.HostClock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stamps each record with its capture time on the reference clock and the error of that, from the
 * newest clock estimate of its host (the global store fed by clock.offsets), extrapolated to the
 * capture time with the estimated drift (the bound widens with the drift's own error). A host without an
 * estimate yet leaves both null: the record says it is not aligned rather than passing its own
 * clock off as the reference.
 */
public final class AlignProcessor implements FixedKeyProcessor<String, EnrichedHeader, EnrichedHeader> {
    /*
     * Reading the global store means a store lookup and an Avro decode, and a HostClock is built from
     * the result: per record that is work for nothing, as estimates change at most once a second
     * (ClockModelProcessor's publish interval). So each host's clock is re-read once a second; a host
     * without one is looked up again on every record, so its first estimate applies at once.
     */
    static final long REFRESH_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(AlignProcessor.class);

    private record Cached(HostClock clock, long readAtMs) {
    }

    private final String clockStoreName;
    private final EnrichCounters counters;
    private final Map<String, Cached> cache = new HashMap<>();
    // Hosts whose records go unaligned although they have an estimate (its bound is past use), so
    // that is said once per spell, not per record. A host whose estimate disappears is told where the
    // cache notices it (clockOf). Either way a host that stops being aligned says why, once, instead
    // of only moving the aligned share.
    private final Set<String> unusableClocks = new HashSet<>();
    private FixedKeyProcessorContext<String, EnrichedHeader> context;
    private TimestampedKeyValueStore<String, ClockOffset> clocks;

    public AlignProcessor(String clockStoreName, EnrichCounters counters) {
        this.clockStoreName = clockStoreName;
        this.counters = counters;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, EnrichedHeader> context) {
        this.context = context;
        this.clocks = context.getStateStore(clockStoreName);
    }

    @Override
    public void process(FixedKeyRecord<String, EnrichedHeader> record) {
        EnrichedHeader value = record.value();
        PacketHeader header = value.getHeader();
        HostClock clock = clockOf(header.getHost());
        long t = header.getCaptureTimeNs();
        // the bound computed once (not through usableAt): a bound beyond an hour aligns nothing, the
        // record is left unaligned and counted as such
        long bound = clock == null ? Long.MAX_VALUE : clock.errorBoundAt(t);
        boolean aligned = HostClock.usable(bound);
        if (aligned) {
            value.setAlignedTimeNs(clock.alignedTime(t));
            value.setClockErrorNs(bound);
            value.setClockReference(clock.reference());
            if (!unusableClocks.isEmpty()) { // a field read per record while every clock is usable
                unusableClocks.remove(header.getHost());
            }
        } else {
            value.setAlignedTimeNs(null);
            value.setClockErrorNs(null);
            value.setClockReference(null);
            if (clock != null && unusableClocks.add(header.getHost())) {
                LOG.warn("align: records of {} are no longer aligned: its clock estimate's error bound at capture time {}"
                        + " is {} ns (valid from {}, ±{} ns, drift bound {} ppm, path {})", header.getHost(), t, bound,
                        clock.validFromNs(), clock.errorBoundNs(), clock.driftBoundPpm(), clock.path());
            }
        }
        counters.recordEnriched(aligned);
        context.forward(record);
    }

    /** The host's newest clock estimate, read from the store at most once per {@link #REFRESH_MS}; null if none. */
    private HostClock clockOf(String host) {
        long now = context.currentSystemTimeMs();
        Cached cached = cache.get(host);
        if (cached != null && now - cached.readAtMs() < REFRESH_MS) {
            return cached.clock();
        }
        ValueAndTimestamp<ClockOffset> found = clocks.get(host);
        if (found == null || found.value() == null) {
            if (cache.remove(host) != null) {
                LOG.warn("align: records of {} are no longer aligned: its clock estimate is gone from {}", host,
                        clockStoreName);
            }
            return null;
        }
        HostClock clock = ClockOffsets.fromRecord(found.value());
        cache.put(host, new Cached(clock, now));
        return clock;
    }
}
