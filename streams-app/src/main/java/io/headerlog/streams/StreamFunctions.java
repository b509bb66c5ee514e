package io.headerlog.streams;

import io.headerlog.streams.clock.ClockModelConfig;
import io.headerlog.streams.correlate.CorrelationConfig;
import io.headerlog.streams.flows.FlowWindowConfig;
import io.headerlog.streams.http.HttpTransactionConfig;
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
 * @param correlation           window, grace and state bound of the same-packet-across-hosts correlation
 * @param http                  response timeout, join window and state bounds of the HTTP transactions
 * @param flowWindows           on/off, window, grace and state bound of flows.summary (estimates next to exact flow counters)
 */
public record StreamFunctions(String filterExpression, int sampleRate, Optional<String> clockReference,
        ClockModelConfig clockModel, Duration clockPublishInterval, CorrelationConfig correlation, HttpTransactionConfig http,
        FlowWindowConfig flowWindows, RecordFilter filter, ConsistentSampler sampler) {

    public static final StreamFunctions DEFAULTS = of("", 1, Optional.empty(), ClockModelConfig.DEFAULTS, Duration.ofSeconds(1),
            CorrelationConfig.DEFAULTS, HttpTransactionConfig.DEFAULTS, FlowWindowConfig.DEFAULTS);

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
        Objects.requireNonNull(correlation, "correlation config");
        Objects.requireNonNull(http, "HTTP transactions config");
        Objects.requireNonNull(flowWindows, "flow summary config");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(sampler, "sampler");
    }

    /** Compiles the expression and builds the sampler; both throw IllegalArgumentException on bad input. */
    public static StreamFunctions of(String filterExpression, int sampleRate, Optional<String> clockReference,
            ClockModelConfig clockModel, Duration clockPublishInterval, CorrelationConfig correlation,
            HttpTransactionConfig http, FlowWindowConfig flowWindows) {
        String expression = filterExpression == null ? "" : filterExpression;
        return new StreamFunctions(expression, sampleRate, clockReference, clockModel, clockPublishInterval, correlation, http,
                flowWindows, RecordFilter.compile(expression), new ConsistentSampler(sampleRate));
    }

    public StreamFunctions withFilter(String expression) {
        return of(expression, sampleRate, clockReference, clockModel, clockPublishInterval, correlation, http, flowWindows);
    }

    public StreamFunctions withSampleRate(int rate) {
        return of(filterExpression, rate, clockReference, clockModel, clockPublishInterval, correlation, http, flowWindows);
    }

    public StreamFunctions withClockReference(Optional<String> reference) {
        return of(filterExpression, sampleRate, reference, clockModel, clockPublishInterval, correlation, http, flowWindows);
    }

    public StreamFunctions withClockModel(ClockModelConfig model, Duration publishInterval) {
        return of(filterExpression, sampleRate, clockReference, model, publishInterval, correlation, http, flowWindows);
    }

    public StreamFunctions withHttp(HttpTransactionConfig h) {
        return of(filterExpression, sampleRate, clockReference, clockModel, clockPublishInterval, correlation, h, flowWindows);
    }

    public StreamFunctions withFlowWindows(FlowWindowConfig f) {
        return of(filterExpression, sampleRate, clockReference, clockModel, clockPublishInterval, correlation, http, f);
    }

    public StreamFunctions withCorrelation(CorrelationConfig c) {
        return of(filterExpression, sampleRate, clockReference, clockModel, clockPublishInterval, c, http, flowWindows);
    }
}
