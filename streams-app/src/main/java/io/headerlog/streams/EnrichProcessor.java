package io.headerlog.streams;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.streams.filter.FilterResult;
import io.headerlog.streams.filter.RecordFilter;
import io.headerlog.streams.sampling.ConsistentSampler;
import io.headerlog.streams.sampling.SampleDecision;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Selects and stamps: drops what the filter expression rejects and what the stream's consistent
 * sampling leaves out, and wraps the rest into an EnrichedHeader with the combined sample rate and
 * where it was read from (so a reader can find the raw record again). A filter that fails on a record
 * throws, and the processing exception handler sends the record to the dead-letter topic with the
 * reason. The key is kept (a fixed-key processor cannot change it): no repartitioning.
 */
final class EnrichProcessor implements FixedKeyProcessor<String, PacketHeader, EnrichedHeader> {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichProcessor.class);

    private final RecordFilter filter;
    private final ConsistentSampler sampler;
    private final EnrichCounters counters;
    private FixedKeyProcessorContext<String, EnrichedHeader> context;

    EnrichProcessor(RecordFilter filter, ConsistentSampler sampler, EnrichCounters counters) {
        this.filter = filter;
        this.sampler = sampler;
        this.counters = counters;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, EnrichedHeader> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, PacketHeader> record) {
        // Records always come from a source topic here; metadata is only absent for punctuations.
        RecordMetadata source = context.recordMetadata().orElseThrow(() -> new IllegalStateException(
                "record without topic/partition/offset reached the select processor; it must follow a source"));
        PacketHeader header = record.value();
        if (header == null) {
            counters.recordNullValue();
            LOG.warn("skipping record without value at {}-{}@{} (key {}); headers.raw carries no tombstones",
                    source.topic(), source.partition(), source.offset(), record.key());
            return;
        }
        if (!filter.keepsAll()) {
            FilterResult r = filter.evaluate(header);
            if (r.isError()) {
                throw new FilterFailedException(filter.expression(), r.error());
            }
            if (!r.keep()) {
                counters.recordFilteredOut();
                return;
            }
        }
        SampleDecision sampled = sampler.decide(header);
        if (!sampled.keep()) {
            counters.recordSampledOut();
            return;
        }
        EnrichedHeader enriched = EnrichedHeader.newBuilder()
                .setHeader(header)
                .setProcessedAtMs(context.currentSystemTimeMs())
                .setRawTopic(source.topic())
                .setRawPartition(source.partition())
                .setRawOffset(source.offset())
                .setCombinedSampleRate(sampled.sampleRate())
                .build();
        context.forward(record.withValue(enriched));
    }

    /** The filter could not decide on a record (e.g. a field it reads is absent); the record is dead-lettered. */
    static final class FilterFailedException extends RuntimeException {
        FilterFailedException(String expression, String reason) {
            super("filter expression failed on this record: " + reason + " (expression: " + expression + ")");
        }
    }
}
