package io.headerlog.streams;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Record counts of one running enrich instance, shared by the processor, the deserialization
 * handler and the status line. Stream threads write, the status thread reads; plain atomics are
 * enough because each number is read on its own.
 */
public final class EnrichCounters {
    private final AtomicLong enriched = new AtomicLong();
    private final AtomicLong deserializationFailures = new AtomicLong();
    private final AtomicLong nullValues = new AtomicLong();

    void recordEnriched() {
        enriched.incrementAndGet();
    }

    void recordDeserializationFailure() {
        deserializationFailures.incrementAndGet();
    }

    void recordNullValue() {
        nullValues.incrementAndGet();
    }

    /** Records read from the input topic, including those skipped as undecodable or empty. */
    public long recordsIn() {
        return enriched.get() + deserializationFailures.get() + nullValues.get();
    }

    /** EnrichedHeader records handed to the sink. */
    public long recordsOut() {
        return enriched.get();
    }

    /** Input records skipped because key or value could not be deserialized. */
    public long deserializationFailures() {
        return deserializationFailures.get();
    }

    /** Input records skipped because they had no value (a tombstone carries no header to enrich). */
    public long nullValues() {
        return nullValues.get();
    }

    @Override
    public String toString() {
        return "in=" + recordsIn() + " out=" + recordsOut() + " undecodable=" + deserializationFailures()
                + " null-values=" + nullValues();
    }
}
