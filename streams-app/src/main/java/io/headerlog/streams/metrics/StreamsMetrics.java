package io.headerlog.streams.metrics;

import io.headerlog.metrics.AvroMetrics;
import io.headerlog.schema.StreamsStats;
import io.headerlog.streams.EnrichApp;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The streams app's Prometheus metrics, read at scrape time from what the app already keeps:
 * <ul>
 *   <li>every number of its newest StreamsStats record (what goes to streams.stats):
 *       {@code headerlog_streams_records_in_total}, {@code headerlog_streams_correlation_match_rate},
 *       {@code headerlog_streams_http_match_rate}, … labelled with the instance;</li>
 *   <li>consumer lag per input topic, {@code headerlog_streams_consumer_lag_records{topic}}: the sum
 *       over this instance's partitions of Kafka's {@code records-lag};</li>
 *   <li>each host's clock against the reference, {@code headerlog_streams_clock_offset_seconds} and
 *       {@code headerlog_streams_clock_error_seconds{host,reference}}, from the store align reads.</li>
 * </ul>
 */
public final class StreamsMetrics {

    static final String PREFIX = "headerlog_streams_";
    /** StreamsStats longs that are current values, not cumulative counts. */
    static final Set<String> GAUGES = Set.of("intervalMs", "clock.inFlight", "correlation.openPackets");

    private StreamsMetrics() {}

    /**
     * The registry over the app that {@code app} returns once it runs; until then (null) every
     * gauge is empty. It is built before the app starts, so that a taken --metrics-listen address
     * fails the start before anything touches Kafka.
     */
    public static PrometheusRegistry registry(Supplier<EnrichApp> app) {
        PrometheusRegistry registry = new PrometheusRegistry();
        AvroMetrics.register(registry, PREFIX, StreamsStats.SCHEMA$, () -> {
            EnrichApp a = app.get();
            return a == null ? null : a.stats().latest();
        }, "instanceId", "instance", GAUGES);
        GaugeWithCallback.builder().name(PREFIX + "consumer_lag_records")
                .help("Records not yet consumed, summed over this instance's partitions of each input topic (Kafka's records-lag).")
                .labelNames("topic")
                .callback(cb -> ifRunning(app, a -> lagByTopic(a.kafkaMetrics()).forEach((topic, lag) -> cb.call(lag, topic))))
                .register(registry);
        GaugeWithCallback.builder().name(PREFIX + "clock_offset_seconds")
                .help("The host's clock minus the reference host's clock, at the estimate's validFrom.")
                .labelNames("host", "reference")
                .callback(cb -> ifRunning(app, a -> a.clockOffsets().values()
                        .forEach(c -> cb.call(c.getOffsetNs() / 1e9, c.getHost(), c.getReference()))))
                .register(registry);
        GaugeWithCallback.builder().name(PREFIX + "clock_error_seconds")
                .help("Error bound of the host's clock estimate at its validFrom (aligned times are within it).")
                .labelNames("host", "reference")
                .callback(cb -> ifRunning(app, a -> a.clockOffsets().values()
                        .forEach(c -> cb.call(c.getErrorBoundNs() / 1e9, c.getHost(), c.getReference()))))
                .register(registry);
        return registry;
    }

    private static void ifRunning(Supplier<EnrichApp> app, Consumer<EnrichApp> read) {
        EnrichApp a = app.get();
        if (a != null) {
            read.accept(a);
        }
    }

    /** Sum of the consumers' per-partition {@code records-lag} by topic; partitions without a value yet are left out. */
    static Map<String, Double> lagByTopic(Map<MetricName, ? extends Metric> metrics) {
        Map<String, Double> lag = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                    && name.tags().containsKey("topic") && name.tags().containsKey("partition")
                    && metric.metricValue() instanceof Double v && !v.isNaN()) {
                lag.merge(name.tags().get("topic"), v, Double::sum);
            }
        });
        // The consumer also registers every per-topic metric under a legacy tag with '.' replaced by
        // '_' (for JMX names); keep the topic's real name only.
        lag.keySet().removeIf(t -> t.contains("_") && lag.keySet().stream().anyMatch(o -> !o.equals(t) && o.replace('.', '_').equals(t)));
        return lag;
    }
}
