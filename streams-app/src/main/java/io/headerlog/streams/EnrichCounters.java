package io.headerlog.streams;

import io.headerlog.streams.clock.MatcherTotals;
import io.headerlog.streams.correlate.CorrelationCounters;
import io.headerlog.streams.flows.FlowWindowCounters;
import io.headerlog.streams.http.HttpCounters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Record counts of one running instance, shared by the processors, the exception handlers and the
 * status line. Stream threads write, the status thread reads; plain atomics are enough because each
 * number is read on its own.
 */
public final class EnrichCounters {
    private final AtomicLong enriched = new AtomicLong();
    private final AtomicLong deserializationFailures = new AtomicLong();
    private final AtomicLong nullValues = new AtomicLong();
    private final AtomicLong filteredOut = new AtomicLong();
    private final AtomicLong sampledOut = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong aligned = new AtomicLong();
    private final AtomicLong clockSamples = new AtomicLong();
    private final CorrelationCounters correlation = new CorrelationCounters();
    private final HttpCounters http = new HttpCounters();
    private final FlowWindowCounters flowWindows = new FlowWindowCounters();
    private final MatcherTotals clockMatcher = new MatcherTotals();

    /** The counters of the HTTP transactions. */
    public HttpCounters http() {
        return http;
    }

    /** The clock-observe branch's handshake matchers, summed over tasks (reported once a second). */
    public MatcherTotals clockMatcher() {
        return clockMatcher;
    }

    /** The counters of flows.summary (windowed estimates next to exact flow counters). */
    public FlowWindowCounters flowWindows() {
        return flowWindows;
    }

    /** The counters of the same-packet-across-hosts correlation. */
    public CorrelationCounters correlation() {
        return correlation;
    }

    public void recordEnriched(boolean wasAligned) {
        enriched.incrementAndGet();
        if (wasAligned) {
            aligned.incrementAndGet();
        }
    }

    public void recordDeserializationFailure() {
        deserializationFailures.incrementAndGet();
        deadLetters.incrementAndGet();
    }

    /** A record a processor failed on (it went to the dead-letter topic). */
    public void recordDeadLetter() {
        deadLetters.incrementAndGet();
    }

    public void recordNullValue() {
        nullValues.incrementAndGet();
    }

    public void recordFilteredOut() {
        filteredOut.incrementAndGet();
    }

    public void recordSampledOut() {
        sampledOut.incrementAndGet();
    }

    public void recordClockSample() {
        clockSamples.incrementAndGet();
    }

    /** Records read from the input topic: enriched, filtered, sampled out, dead-lettered or empty. */
    public long recordsIn() {
        return enriched.get() + filteredOut.get() + sampledOut.get() + deadLetters.get() + nullValues.get();
    }

    /** EnrichedHeader records handed to the sink. */
    public long recordsOut() {
        return enriched.get();
    }

    /** Input records that went to the dead-letter topic because they could not be deserialized. */
    public long deserializationFailures() {
        return deserializationFailures.get();
    }

    /** Input records that went to the dead-letter topic, for any reason. */
    public long deadLetters() {
        return deadLetters.get();
    }

    /** Input records skipped because they had no value (a tombstone carries no header to enrich). */
    public long nullValues() {
        return nullValues.get();
    }

    /** Input records the filter expression rejected. */
    public long filteredOut() {
        return filteredOut.get();
    }

    /** Input records the stream's own sampling dropped. */
    public long sampledOut() {
        return sampledOut.get();
    }

    /** Enriched records that carry an aligned time (their host had a clock model). */
    public long aligned() {
        return aligned.get();
    }

    /** Clock samples (packet exchanges seen at both ends) this instance found. */
    public long clockSamples() {
        return clockSamples.get();
    }

    @Override
    public String toString() {
        return "in=" + recordsIn() + " out=" + recordsOut() + " aligned=" + aligned() + " filtered=" + filteredOut()
                + " sampled-out=" + sampledOut() + " dead-letters=" + deadLetters() + " (undecodable="
                + deserializationFailures() + ") null-values=" + nullValues() + " clock-samples=" + clockSamples()
                + " clock matcher: " + clockMatcher + " correlation: " + correlation + " http: " + http
                + " flows.summary: " + flowWindows;
    }
}
