package io.headerlog.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.schema.CollectorStats;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AvroMetricsTest {

    private static CollectorStats stats(long seen, long ringFull) {
        return CollectorStats.newBuilder().setHost("h1").setStartedAtNs(1_000_000_000L).setTimeNs(5_500_000_000L)
                .setInterfaces(List.of("eth0")).setPacketsSeen(seen).setRecordsSubmitted(seen - ringFull)
                .setRingBufferFull(ringFull).setLoadFailures(0).setTruncatedHeaders(0).setSnapCut(0).setL7Starts(0)
                .setRecordsRead(seen - ringFull).setDecodeErrors(2).setRecordsPublished(seen - ringFull - 2)
                .setPublishErrors(0).setSampleRate(100).build();
    }

    /** As the collector registers its CollectorStats. */
    private static void register(PrometheusRegistry registry, java.util.function.Supplier<CollectorStats> latest) {
        AvroMetrics.register(registry, "headerlog_collector_", CollectorStats.SCHEMA$, latest, "host", "host", java.util.Set.of());
    }

    private static String scrape(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldExportEveryCounterOfTheNewestStatsRecordUnderItsHost() throws Exception {
        AtomicReference<CollectorStats> latest = new AtomicReference<>(stats(1000, 7));
        PrometheusRegistry registry = new PrometheusRegistry();
        register(registry, latest::get);

        String text = scrape(registry);
        assertThat(text).contains("# TYPE headerlog_collector_packets_seen_total counter")
                .contains("headerlog_collector_packets_seen_total{host=\"h1\"} 1000.0")
                .contains("headerlog_collector_ring_buffer_full_total{host=\"h1\"} 7.0")
                .contains("headerlog_collector_decode_errors_total{host=\"h1\"} 2.0")
                .contains("headerlog_collector_records_published_total{host=\"h1\"} 991.0")
                .contains("# TYPE headerlog_collector_sample_rate gauge")
                .contains("headerlog_collector_sample_rate{host=\"h1\"} 100.0")
                .contains("headerlog_collector_stats_timestamp_seconds{host=\"h1\"} 5.5")
                .contains("headerlog_collector_started_at_seconds{host=\"h1\"} 1.0")
                .doesNotContain("time_ns").doesNotContain("started_at_ns");

        latest.set(stats(2500, 9));
        assertThat(scrape(registry)).contains("headerlog_collector_packets_seen_total{host=\"h1\"} 2500.0");
    }

    @Test
    void shouldNameGroupFieldsAfterTheirGroupAndExportCurrentValuesAsGauges() throws Exception {
        Schema inner = SchemaBuilder.record("Correlation").fields().requiredLong("matched").requiredLong("openPackets")
                .optionalDouble("matchRate").endRecord();
        Schema outer = SchemaBuilder.record("Stats").fields().requiredString("instance").requiredLong("timeNs")
                .name("correlation").type().optional().type(inner).endRecord();
        GenericRecord c = new GenericData.Record(inner);
        c.put("matched", 40L);
        c.put("openPackets", 7L);
        c.put("matchRate", 0.5);
        GenericRecord r = new GenericData.Record(outer);
        r.put("instance", "i1");
        r.put("timeNs", 2_000_000_000L);
        r.put("correlation", c);
        PrometheusRegistry registry = new PrometheusRegistry();
        AvroMetrics.register(registry, "hl_", outer, () -> r, "instance", "instance", java.util.Set.of("correlation.openPackets"));

        assertThat(scrape(registry)).contains("# TYPE hl_correlation_matched_total counter")
                .contains("hl_correlation_matched_total{instance=\"i1\"} 40.0")
                .contains("# TYPE hl_correlation_open_packets gauge").contains("hl_correlation_open_packets{instance=\"i1\"} 7.0")
                .contains("hl_correlation_match_rate{instance=\"i1\"} 0.5")
                .contains("hl_stats_timestamp_seconds{instance=\"i1\"} 2.0");
        r.put("correlation", null);
        assertThat(scrape(registry)).doesNotContain("hl_correlation_matched_total{");
    }

    @Test
    void shouldExportNothingBeforeTheFirstRecord() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        register(registry, () -> null);
        assertThat(scrape(registry)).doesNotContain("{host=");
    }

    @Test
    void shouldNameMetricsInSnakeCase() {
        assertThat(AvroMetrics.snake("packetsSeen")).isEqualTo("packets_seen");
        assertThat(AvroMetrics.snake("l7Starts")).isEqualTo("l7_starts");
        assertThat(AvroMetrics.snake("ringBufferFull")).isEqualTo("ring_buffer_full");
        assertThat(AvroMetrics.metricName("correlation.", "matchRate")).isEqualTo("correlation_match_rate");
        assertThat(AvroMetrics.metricName("records.", "recordsIn")).isEqualTo("records_in");
        assertThat(AvroMetrics.metricName("", "packetsSeen")).isEqualTo("packets_seen");
    }

    @Test
    void shouldParseListenAddressesLikeNodeExporter() {
        assertThat(ListenAddress.parse("9464", "--m")).isEqualTo(new ListenAddress("", 9464));
        assertThat(ListenAddress.parse(":9464", "--m")).isEqualTo(new ListenAddress("", 9464));
        assertThat(ListenAddress.parse("127.0.0.1:9464", "--m")).isEqualTo(new ListenAddress("127.0.0.1", 9464));
        assertThat(ListenAddress.parse("[::1]:9464", "--m")).isEqualTo(new ListenAddress("::1", 9464));
        assertThat(new ListenAddress("::1", 9464).metricsUrl()).isEqualTo("http://[::1]:9464/metrics");
        assertThat(new ListenAddress("", 9464).metricsUrl()).isEqualTo("http://0.0.0.0:9464/metrics");
        assertThatThrownBy(() -> ListenAddress.parse("host:port", "--metrics-listen")).hasMessageContaining("--metrics-listen");
        assertThatThrownBy(() -> ListenAddress.parse("::1:9464", "--metrics-listen")).hasMessageContaining("[IPv6]:PORT");
        assertThatThrownBy(() -> ListenAddress.parse("70000", "--metrics-listen")).hasMessageContaining("65535");
    }

    @Test
    void shouldServeTheRegistryOverHttpAndSayWhenThePortIsTaken() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        register(registry, () -> stats(3, 0));
        try (MetricsServer server = MetricsServer.start(new ListenAddress("127.0.0.1", 0), registry, "--metrics-listen")) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("headerlog_collector_packets_seen_total{host=\"h1\"} 3.0");
            assertThatThrownBy(() -> MetricsServer.start(new ListenAddress("127.0.0.1", server.port()), registry, "--metrics-listen"))
                    .hasMessageContaining("cannot serve metrics on 127.0.0.1:" + server.port())
                    .hasMessageContaining("--metrics-listen");
        }
    }
}
