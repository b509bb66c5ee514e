package io.headerlog.streams;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps each PacketHeader into an EnrichedHeader stamped with when it was processed and where it
 * was read from, so a downstream reader can find the raw record again. The key is kept (a fixed-key
 * processor cannot change it), hence no repartitioning.
 */
final class EnrichProcessor implements FixedKeyProcessor<String, PacketHeader, EnrichedHeader> {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichProcessor.class);

    private final EnrichCounters counters;
    private FixedKeyProcessorContext<String, EnrichedHeader> context;

    EnrichProcessor(EnrichCounters counters) {
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
                "record without topic/partition/offset reached the enrich processor; it must follow a source"));
        if (record.value() == null) {
            counters.recordNullValue();
            LOG.warn("skipping record without value at {}-{}@{} (key {}); headers.raw carries no tombstones",
                    source.topic(), source.partition(), source.offset(), record.key());
            return;
        }
        EnrichedHeader enriched = EnrichedHeader.newBuilder()
                .setHeader(record.value())
                .setProcessedAtMs(context.currentSystemTimeMs())
                .setRawTopic(source.topic())
                .setRawPartition(source.partition())
                .setRawOffset(source.offset())
                .build();
        counters.recordEnriched();
        context.forward(record.withValue(enriched));
    }
}
