package io.headerlog.streams.align;

import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.streams.EnrichCounters;
import io.headerlog.streams.clock.HostClock;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Stamps each record with its capture time on the reference clock and the error of that, from the
 * newest clock estimate of its host (the global store fed by clock.offsets), extrapolated to the
 * capture time with the estimated drift (the bound widens with the drift's own error). A host without an
 * estimate yet leaves both null: the record says it is not aligned rather than passing its own
 * clock off as the reference.
 */
public final class AlignProcessor implements FixedKeyProcessor<String, EnrichedHeader, EnrichedHeader> {
    private final String clockStoreName;
    private final EnrichCounters counters;
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
        ValueAndTimestamp<ClockOffset> found = clocks.get(header.getHost());
        boolean aligned = found != null && found.value() != null;
        if (aligned) {
            HostClock clock = ClockOffsets.fromRecord(found.value());
            long t = header.getCaptureTimeNs();
            value.setAlignedTimeNs(clock.alignedTime(t));
            value.setClockErrorNs(clock.errorBoundAt(t));
            value.setClockReference(clock.reference());
        } else {
            value.setAlignedTimeNs(null);
            value.setClockErrorNs(null);
            value.setClockReference(null);
        }
        counters.recordEnriched(aligned);
        context.forward(record);
    }
}
