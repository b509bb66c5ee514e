package io.headerlog.streams;

import io.headerlog.streams.clock.ClockModelConfig;
import io.headerlog.streams.filter.RecordFilter;
import io.headerlog.streams.sampling.ConsistentSampler;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the stream does to records besides carrying them: the filter expression, its own consistent
 * sampling, and the clock model's settings. Built once at start; an expression that does not
 * compile fails here, with its position, before anything connects to Kafka.
 *
 * @param filterExpression      CEL over the PacketHeader as {@code header}; blank keeps every record
 * @param sampleRate            keep 1 in N of the records the collectors kept (by packet label, so
 *                              every host's record of one packet is kept or dropped together)
 * @param clockReference        host every clock is aligned to; empty = the lowest host id seen
 * @param clockModel            window, buckets and step detection of the per-pair clock model
 * @param clockPublishInterval  how often refined clock estimates go to clock.offsets
 */
public record StreamFunctions(String filterExpression, int sampleRate, Optional<String> clockReference,
        ClockModelConfig clockModel, Duration clockPublishInterval, RecordFilter filter, ConsistentSampler sampler) {

    public static final StreamFunctions DEFAULTS = of("", 1, Optional.empty(), ClockModelConfig.DEFAULTS, Duration.ofSeconds(1));

    public StreamFunctions {
        Objects.requireNonNull(filterExpression, "filter expression (may be empty)");
        Objects.requireNonNull(clockReference, "clock reference (may be empty)");
        Objects.requireNonNull(clockModel, "clock model config");
        if (clockReference.isPresent() && clockReference.get().isBlank()) {
            throw new IllegalArgumentException("--clock-reference must name a host id, was blank");
        }
        if (clockPublishInterval == null || clockPublishInterval.isZero() || clockPublishInterval.isNegative()) {
            throw new IllegalArgumentException("clock publish interval must be > 0, was " + clockPublishInterval);
        }
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(sampler, "sampler");
    }

    /** Compiles the expression and builds the sampler; both throw IllegalArgumentException on bad input. */
    public static StreamFunctions of(String filterExpression, int sampleRate, Optional<String> clockReference,
            ClockModelConfig clockModel, Duration clockPublishInterval) {
        String expression = filterExpression == null ? "" : filterExpression;
        return new StreamFunctions(expression, sampleRate, clockReference, clockModel, clockPublishInterval,
                RecordFilter.compile(expression), new ConsistentSampler(sampleRate));
    }

    public StreamFunctions withFilter(String expression) {
        return of(expression, sampleRate, clockReference, clockModel, clockPublishInterval);
    }

    public StreamFunctions withSampleRate(int rate) {
        return of(filterExpression, rate, clockReference, clockModel, clockPublishInterval);
    }

    public StreamFunctions withClockReference(Optional<String> reference) {
        return of(filterExpression, sampleRate, reference, clockModel, clockPublishInterval);
    }

    public StreamFunctions withClockModel(ClockModelConfig model, Duration publishInterval) {
        return of(filterExpression, sampleRate, clockReference, model, publishInterval);
    }
}
