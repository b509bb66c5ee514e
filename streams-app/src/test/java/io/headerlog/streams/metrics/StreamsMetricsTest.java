package io.headerlog.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class StreamsMetricsTest {

    private static Metric value(double v) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return null;
            }

            @Override
            public Object metricValue() {
                return v;
            }
        };
    }

    private static MetricName lag(String topic, String partition) {
        return new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", "c1", "topic", topic, "partition", partition));
    }

    @Test
    void shouldSumRecordsLagOverPartitionsPerTopicAndSkipUnknownValues() {
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        metrics.put(lag("headers.raw", "0"), value(10));
        metrics.put(lag("headers.raw", "3"), value(5));
        metrics.put(lag("headers_raw", "3"), value(5)); // the consumer's legacy JMX-style copy
        metrics.put(lag("my_topic", "0"), value(2)); // a real name with '_' stays
        metrics.put(lag("flows.raw", "0"), value(0));
        metrics.put(lag("clock.offsets", "0"), value(Double.NaN));
        metrics.put(new MetricName("records-lag-max", "consumer-fetch-manager-metrics", "", Map.of("client-id", "c1")), value(99));

        assertThat(StreamsMetrics.lagByTopic(metrics)).containsExactly(Map.entry("flows.raw", 0.0), Map.entry("headers.raw", 15.0),
                Map.entry("my_topic", 2.0));
    }

    @Test
    void shouldTreatOpenStateAsGaugesNotCounters() {
        assertThat(StreamsMetrics.GAUGES).contains("correlation.openPackets", "clock.inFlight", "intervalMs");
    }
}
