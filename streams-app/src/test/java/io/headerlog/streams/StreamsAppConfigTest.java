package io.headerlog.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.streams.errors.DeadLetterDeserializationHandler;
import io.headerlog.streams.errors.DeadLetterProcessingHandler;
import io.headerlog.streams.errors.DeadLetters;
import io.headerlog.streams.errors.HandlerConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsAppConfigTest {
    private static final StreamsAppConfig VALID =
            StreamsAppConfig.defaults("127.0.0.1:9092,broker-2:19092", "http://127.0.0.1:8081/apis/ccompat/v7");

    private static StreamsAppConfig with(String bootstrap, String registry, String appId, String in, String out,
            int threads, Duration commit, Duration idle) {
        return new StreamsAppConfig(bootstrap, registry, appId, Path.of("/tmp/x"), in, out, threads,
                ProcessingGuarantee.AT_LEAST_ONCE, commit, idle, "clock.offsets", "packets.correlated", "http.transactions",
                "flows.raw", "flows.summary", "streams.stats", Duration.ofSeconds(5), StreamFunctions.DEFAULTS);
    }

    @Test
    void shouldUseProjectDefaults() {
        assertThat(VALID.applicationId()).isEqualTo("headerlog-streams");
        assertThat(VALID.inputTopic()).isEqualTo("headers.raw");
        assertThat(VALID.outputTopic()).isEqualTo("headers.enriched");
        assertThat(VALID.numStreamThreads()).isEqualTo(1);
        assertThat(VALID.processingGuarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
        assertThat(VALID.clockTopic()).isEqualTo("clock.offsets");
        assertThat(VALID.deadLetterTopic()).isEqualTo("headers.raw.dlq");
        assertThat(VALID.maxTaskIdle()).isPositive();
        assertThat(VALID.statsTopic()).isEqualTo("streams.stats");
        assertThat(VALID.statsInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldListTheStatsTopicAmongTheTopicsToCreate() {
        assertThat(VALID.withStats("streams.stats.it", Duration.ofSeconds(1)).topics()).contains("streams.stats.it")
                .contains("headers.raw", "headers.enriched", "clock.offsets", "headers.raw.dlq");
    }

    @Test
    void shouldListTheFlowTopicsOnlyWhileTheFlowSummaryIsOn() {
        assertThat(VALID.flowsTopic()).isEqualTo("flows.raw");
        assertThat(VALID.flowSummaryTopic()).isEqualTo("flows.summary");
        assertThat(VALID.topics()).contains("flows.raw", "flows.summary");
        StreamsAppConfig off = VALID.withFunctions(StreamFunctions.DEFAULTS.withFlowWindows(
                io.headerlog.streams.flows.FlowWindowConfig.DEFAULTS.withEnabled(false)));
        assertThat(off.topics()).doesNotContain("flows.raw", "flows.summary").contains("headers.raw");
    }

    @Test
    void shouldRejectFlowTopicsThatCollideWithOthers() {
        assertThatThrownBy(() -> VALID.withFlowTopics("headers.raw", "flows.summary"))
                .hasMessageContaining("flows topic 'headers.raw'").hasMessageContaining("must differ");
        assertThatThrownBy(() -> VALID.withFlowTopics("flows.raw", "flows.raw")).hasMessageContaining("must differ");
    }

    @Test
    void shouldRejectAStatsIntervalBelow100msAndAStatsTopicTheTopologyUses() {
        assertThatThrownBy(() -> VALID.withStats("streams.stats", Duration.ofMillis(99)))
                .hasMessageContaining("stats interval (--stats-interval) must be at least 100 ms");
        assertThatThrownBy(() -> VALID.withStats("headers.enriched", Duration.ofSeconds(5)))
                .hasMessageContaining("stats topic 'headers.enriched' must differ");
        assertThat(VALID.withStats("streams.stats", Duration.ofMillis(100)).statsInterval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void shouldBuildStreamsPropertiesFromEveryField() {
        EnrichCounters counters = new EnrichCounters();
        StreamsAppConfig config = VALID.withApplicationId("app-1").withStateDir(Path.of("/var/tmp/s"))
                .withProcessing(3, ProcessingGuarantee.EXACTLY_ONCE_V2, Duration.ofMillis(250));

        Properties p = config.streamsProperties(counters);

        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("app-1");
        assertThat(p.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("127.0.0.1:9092,broker-2:19092");
        assertThat(p.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/var/tmp/s");
        assertThat(p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(3);
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(250L);
        assertThat(p.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(2000L);
        assertThat(p.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterDeserializationHandler.class);
        assertThat(p.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterProcessingHandler.class);
        assertThat(p.get(DeadLetters.TOPIC_CONFIG)).isEqualTo("headers.raw.dlq");
        assertThat(p.get(HandlerConfigs.COUNTERS)).isSameAs(counters);
        // Kafka itself must accept the result.
        StreamsConfig parsed = new StreamsConfig(p);
        assertThat(parsed.getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(2000L);
    }

    @Test
    void shouldFailAtStartWithThePositionOfAnInvalidFilterExpression() {
        assertThatThrownBy(() -> StreamFunctions.DEFAULTS.withFilter("header.tcp.dstPort == "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filter:1:");
        assertThatThrownBy(() -> StreamFunctions.DEFAULTS.withFilter("header.tcp.dstPort"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bool");
    }

    @Test
    void shouldRejectAStreamSampleRateBelowOne() {
        assertThatThrownBy(() -> StreamFunctions.DEFAULTS.withSampleRate(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectBootstrapServersWithoutPort() {
        assertThatThrownBy(() -> StreamsAppConfig.defaults("127.0.0.1:9092,broker-2", "http://r:8081"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'broker-2' is not host:port");
        assertThatThrownBy(() -> StreamsAppConfig.defaults(" ", "http://r:8081"))
                .hasMessageContaining("bootstrap servers must be set");
    }

    @Test
    void shouldRejectRegistryUrlThatIsNotHttp() {
        assertThatThrownBy(() -> StreamsAppConfig.defaults("b:9092", "127.0.0.1:8081"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use http(s)://host");
        assertThatThrownBy(() -> StreamsAppConfig.defaults("b:9092", "ftp://r/x"))
                .hasMessageContaining("must be http(s)://");
        assertThatThrownBy(() -> StreamsAppConfig.defaults("b:9092", "http://bad host/"))
                .hasMessageContaining("is not a URL");
    }

    @Test
    void shouldRejectApplicationIdAndTopicsKafkaWouldRefuse() {
        assertThatThrownBy(() -> VALID.withApplicationId("my app"))
                .hasMessageContaining("application id 'my app'");
        assertThatThrownBy(() -> VALID.withTopics("headers.raw", "out/put"))
                .hasMessageContaining("output topic 'out/put'");
        assertThatThrownBy(() -> VALID.withTopics("..", "headers.enriched"))
                .hasMessageContaining("input topic '..'");
    }

    @Test
    void shouldRejectWritingBackIntoTheInputTopic() {
        assertThatThrownBy(() -> VALID.withTopics("headers.raw", "headers.raw"))
                .hasMessageContaining("input and output topic are both 'headers.raw'");
    }

    @Test
    void shouldRejectOutOfRangeThreadsAndDurations() {
        assertThatThrownBy(() -> with("b:1", "http://r", "a", "i", "o", 0, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("stream threads must be 1..64, was 0");
        assertThatThrownBy(() -> with("b:1", "http://r", "a", "i", "o", 1, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("commit interval must be > 0");
        assertThatThrownBy(() -> with("b:1", "http://r", "a", "i", "o", 1, Duration.ofSeconds(1), Duration.ofMillis(-1)))
                .hasMessageContaining("max task idle must be >= 0");
        assertThat(with("b:1", "http://r", "a", "i", "o", 64, Duration.ofMillis(1), Duration.ZERO).numStreamThreads())
                .isEqualTo(64);
    }

    @Test
    void shouldParseProcessingGuaranteeInKafkaSpelling() {
        assertThat(ProcessingGuarantee.parse("exactly_once_v2")).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
        assertThat(ProcessingGuarantee.parse("AT-LEAST-ONCE")).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThatThrownBy(() -> ProcessingGuarantee.parse("exactly_once"))
                .hasMessageContaining("use one of at_least_once, exactly_once_v2");
    }
}
