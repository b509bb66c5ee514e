package io.headerlog.streams;

import io.headerlog.streams.errors.DeadLetterDeserializationHandler;
import io.headerlog.streams.errors.DeadLetterProcessingHandler;
import io.headerlog.streams.errors.DeadLetters;
import io.headerlog.streams.errors.HandlerConfigs;
import io.headerlog.topics.Topics;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the enrich application needs to run, checked when it is built so that a bad value
 * fails at start with a message naming the option instead of deep inside Kafka Streams.
 *
 * @param bootstrapServers     Kafka bootstrap servers, host:port[,host:port…]
 * @param registryUrl          base URL of a Confluent-API schema registry
 * @param applicationId        Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir             directory for Kafka Streams local state
 * @param inputTopic           topic of PacketHeader records
 * @param outputTopic          topic the EnrichedHeader records go to
 * @param numStreamThreads     stream threads in this instance
 * @param processingGuarantee  at-least-once or exactly-once-v2
 * @param commitInterval       how often offsets (and EOS transactions) are committed
 * @param maxTaskIdle          how long a task waits for data on all its input partitions before
 *                             processing out of timestamp order
 * @param clockTopic           topic of ClockOffset estimates (written and read back by this app)
 * @param correlatedTopic      topic of CorrelatedPacket records (the same packet seen at several hosts)
 * @param httpTopic            topic of HttpTransaction records (requests paired with responses, both ends joined)
 * @param flowsTopic           topic of FlowSummary records (the collectors' exact flow counters), read by flows.summary;
 *                             keyed like the input topic and with as many partitions
 * @param flowSummaryTopic     topic of FlowWindowSummary records (windowed estimates next to exact flow counters)
 * @param statsTopic           topic of StreamsStats records (this instance's counters), written from outside the topology
 * @param statsInterval        how often the counters are published on the stats topic
 * @param functions            filter expression, stream sampling and clock model settings
 */
public record StreamsAppConfig(
        String bootstrapServers,
        String registryUrl,
        String applicationId,
        Path stateDir,
        String inputTopic,
        String outputTopic,
        int numStreamThreads,
        ProcessingGuarantee processingGuarantee,
        Duration commitInterval,
        Duration maxTaskIdle,
        String clockTopic,
        String correlatedTopic,
        String httpTopic,
        String flowsTopic,
        String flowSummaryTopic,
        String statsTopic,
        Duration statsInterval,
        StreamFunctions functions) {

    public static final String DEFAULT_APPLICATION_ID = "headerlog-streams";
    public static final String DEFAULT_INPUT_TOPIC = "headers.raw";
    public static final String DEFAULT_OUTPUT_TOPIC = "headers.enriched";
    public static final String DEFAULT_CLOCK_TOPIC = "clock.offsets";
    public static final String DEFAULT_CORRELATED_TOPIC = "packets.correlated";
    public static final String DEFAULT_HTTP_TOPIC = "http.transactions";
    public static final String DEFAULT_FLOWS_TOPIC = Topics.FLOWS_RAW;
    public static final String DEFAULT_FLOW_SUMMARY_TOPIC = Topics.FLOWS_SUMMARY;
    public static final String DEFAULT_STATS_TOPIC = Topics.STREAMS_STATS;
    /** Like the collector's --stats-interval: often enough for a live view, a few records a minute. */
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(5);
    /** Below this, stats would cost more than they tell. */
    public static final Duration MIN_STATS_INTERVAL = Duration.ofMillis(100);
    /*
     * Under exactly-once, downstream read_committed consumers see records only when the transaction
     * commits: the interval is a floor on end-to-end latency as well as the cost of a commit.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(200);
    /*
     * Records of one flow from several hosts share a partition (keyed by community id), but later
     * joins read more than one topic per task. Waiting up to 2 s for every input partition to have
     * data lets Streams pick records in timestamp order across them instead of draining whichever
     * partition fetched first; collectors publish with linger well below that.
     */
    public static final Duration DEFAULT_MAX_TASK_IDLE = Duration.ofSeconds(2);

    private static final Pattern HOST_PORT = Pattern.compile("[^\\s,:]+:\\d{1,5}");
    // Kafka's own rule for topic names and application ids (which prefix internal topics).
    private static final Pattern KAFKA_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public StreamsAppConfig {
        requireBootstrap(bootstrapServers);
        requireHttpUrl(registryUrl);
        requireKafkaName("application id", applicationId);
        Objects.requireNonNull(stateDir, "state dir must be set (Kafka Streams keeps local state there)");
        requireKafkaName("input topic", inputTopic);
        requireKafkaName("output topic", outputTopic);
        if (inputTopic.equals(outputTopic)) {
            throw new IllegalArgumentException("input and output topic are both '" + inputTopic
                    + "'; enriched records must not be fed back into the raw topic");
        }
        if (numStreamThreads < 1 || numStreamThreads > 64) {
            throw new IllegalArgumentException("number of stream threads must be 1..64, was " + numStreamThreads);
        }
        Objects.requireNonNull(processingGuarantee, "processing guarantee must be set");
        requirePositive("commit interval", commitInterval);
        Objects.requireNonNull(maxTaskIdle, "max task idle must be set");
        if (maxTaskIdle.isNegative()) {
            throw new IllegalArgumentException("max task idle must be >= 0, was " + maxTaskIdle);
        }
        requireKafkaName("clock topic", clockTopic);
        if (clockTopic.equals(inputTopic) || clockTopic.equals(outputTopic)) {
            throw new IllegalArgumentException("clock topic '" + clockTopic + "' must differ from the input and output topics");
        }
        requireKafkaName("correlated-packets topic", correlatedTopic);
        requireKafkaName("HTTP transactions topic", httpTopic);
        if (java.util.stream.Stream.of(inputTopic, outputTopic, clockTopic, correlatedTopic, httpTopic).distinct().count() != 5) {
            throw new IllegalArgumentException("input, output, clock, correlated-packets and HTTP transactions topics must all"
                    + " differ, were " + inputTopic + ", " + outputTopic + ", " + clockTopic + ", " + correlatedTopic + ", " + httpTopic);
        }
        requireKafkaName("stats topic", statsTopic);
        if (java.util.stream.Stream.of(inputTopic, outputTopic, clockTopic, correlatedTopic, httpTopic).anyMatch(statsTopic::equals)) {
            throw new IllegalArgumentException("stats topic '" + statsTopic + "' must differ from the topics the topology reads and writes");
        }
        if (statsInterval == null || statsInterval.compareTo(MIN_STATS_INTERVAL) < 0) {
            throw new IllegalArgumentException("stats interval (--stats-interval) must be at least "
                    + MIN_STATS_INTERVAL.toMillis() + " ms, was " + statsInterval);
        }
        requireKafkaName("flows topic", flowsTopic);
        requireKafkaName("flow summary topic", flowSummaryTopic);
        if (java.util.stream.Stream.of(inputTopic, outputTopic, clockTopic, correlatedTopic, httpTopic, flowsTopic,
                flowSummaryTopic, statsTopic).distinct().count() != 8) {
            throw new IllegalArgumentException("the flows topic '" + flowsTopic + "' and the flow summary topic '"
                    + flowSummaryTopic + "' must differ from each other and from every other topic of the app");
        }
        Objects.requireNonNull(functions, "stream functions must be set");
    }

    /** The configuration the `stream` command starts with when no option overrides it. */
    public static StreamsAppConfig defaults(String bootstrapServers, String registryUrl) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, DEFAULT_APPLICATION_ID,
                Path.of(System.getProperty("java.io.tmpdir"), "headerlog-streams-state"),
                DEFAULT_INPUT_TOPIC, DEFAULT_OUTPUT_TOPIC, 1, ProcessingGuarantee.EXACTLY_ONCE_V2,
                DEFAULT_COMMIT_INTERVAL, DEFAULT_MAX_TASK_IDLE, DEFAULT_CLOCK_TOPIC, DEFAULT_CORRELATED_TOPIC,
                DEFAULT_HTTP_TOPIC, DEFAULT_FLOWS_TOPIC, DEFAULT_FLOW_SUMMARY_TOPIC, DEFAULT_STATS_TOPIC, DEFAULT_STATS_INTERVAL, StreamFunctions.DEFAULTS);
    }

    /** Where records that cannot be deserialized or processed go, with the reason in headers. */
    public String deadLetterTopic() {
        return Topics.deadLetters(inputTopic);
    }

    /**
     * Every topic the app reads or writes apart from its own internal ones; the stack does not
     * create topics on first use, and a sink to a missing topic blocks its task.
     */
    public String[] topics() {
        String[] always = {inputTopic, outputTopic, clockTopic, correlatedTopic, httpTopic, deadLetterTopic(), statsTopic};
        if (!functions.flowWindows().enabled()) {
            return always;
        }
        String[] all = java.util.Arrays.copyOf(always, always.length + 2);
        all[always.length] = flowsTopic;
        all[always.length + 1] = flowSummaryTopic;
        return all;
    }

    public StreamsAppConfig withApplicationId(String id) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, id, stateDir, inputTopic, outputTopic,
                numStreamThreads, processingGuarantee, commitInterval, maxTaskIdle, clockTopic, correlatedTopic, httpTopic,
                flowsTopic, flowSummaryTopic, statsTopic, statsInterval, functions);
    }

    public StreamsAppConfig withStateDir(Path dir) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, applicationId, dir, inputTopic, outputTopic,
                numStreamThreads, processingGuarantee, commitInterval, maxTaskIdle, clockTopic, correlatedTopic, httpTopic,
                flowsTopic, flowSummaryTopic, statsTopic, statsInterval, functions);
    }

    public StreamsAppConfig withTopics(String input, String output) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, applicationId, stateDir, input, output,
                numStreamThreads, processingGuarantee, commitInterval, maxTaskIdle, clockTopic, correlatedTopic, httpTopic,
                flowsTopic, flowSummaryTopic, statsTopic, statsInterval, functions);
    }

    public StreamsAppConfig withProcessing(int threads, ProcessingGuarantee guarantee, Duration commit) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, applicationId, stateDir, inputTopic, outputTopic,
                threads, guarantee, commit, maxTaskIdle, clockTopic, correlatedTopic, httpTopic,
                flowsTopic, flowSummaryTopic, statsTopic, statsInterval, functions);
    }

    public StreamsAppConfig withMaxTaskIdle(Duration idle) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, applicationId, stateDir, inputTopic, outputTopic,
                numStreamThreads, processingGuarantee, commitInterval, idle, clockTopic, correlatedTopic, httpTopic,
                flowsTopic, flowSummaryTopic, statsTopic, statsInterval, functions);
    }

    public StreamsAppConfig withClockTopic(String topic) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, applicationId, stateDir, inputTopic, outputTopic,
                numStreamThreads, processingGuarantee, commitInterval, maxTaskIdle, topic, correlatedTopic, httpTopic,
                flowsTopic, flowSummaryTopic, statsTopic, statsInterval, functions);
    }

    public StreamsAppConfig withCorrelatedTopic(String topic) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, applicationId, stateDir, inputTopic, outputTopic,
                numStreamThreads, processingGuarantee, commitInterval, maxTaskIdle, clockTopic, topic, httpTopic,
                flowsTopic, flowSummaryTopic, statsTopic, statsInterval, functions);
    }

    public StreamsAppConfig withHttpTopic(String topic) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, applicationId, stateDir, inputTopic, outputTopic,
                numStreamThreads, processingGuarantee, commitInterval, maxTaskIdle, clockTopic, correlatedTopic, topic,
                flowsTopic, flowSummaryTopic, statsTopic, statsInterval, functions);
    }

    /** The flows.raw topic the flow summary reads and the topic it writes. */
    public StreamsAppConfig withFlowTopics(String flows, String summary) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, applicationId, stateDir, inputTopic, outputTopic,
                numStreamThreads, processingGuarantee, commitInterval, maxTaskIdle, clockTopic, correlatedTopic, httpTopic,
                flows, summary, statsTopic, statsInterval, functions);
    }

    public StreamsAppConfig withStats(String topic, Duration interval) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, applicationId, stateDir, inputTopic, outputTopic,
                numStreamThreads, processingGuarantee, commitInterval, maxTaskIdle, clockTopic, correlatedTopic, httpTopic,
                flowsTopic, flowSummaryTopic, topic, interval, functions);
    }

    public StreamsAppConfig withFunctions(StreamFunctions f) {
        return new StreamsAppConfig(bootstrapServers, registryUrl, applicationId, stateDir, inputTopic, outputTopic,
                numStreamThreads, processingGuarantee, commitInterval, maxTaskIdle, clockTopic, correlatedTopic, httpTopic,
                flowsTopic, flowSummaryTopic, statsTopic, statsInterval, f);
    }

    /**
     * The Kafka Streams properties of this configuration. The deserialization handler logs and
     * counts each record it skips; it reports to {@code counters}, which the caller also hands to
     * the topology so one object holds the in/out/failed numbers of the instance.
     */
    public Properties streamsProperties(EnrichCounters counters) {
        Objects.requireNonNull(counters, "counters");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, numStreamThreads);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee.configValue());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, maxTaskIdle.toMillis());
        // Bad input goes to the dead-letter topic with the reason, and processing goes on.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        p.put(DeadLetters.TOPIC_CONFIG, deadLetterTopic());
        p.put(HandlerConfigs.COUNTERS, counters);
        // Fail at build time if any store or repartition topic would get a generated name, which
        // would change (and orphan state) whenever the topology is edited.
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
        // Kafka 5 turns this on by default; opting in now keeps behaviour the same across the upgrade.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return p;
    }

    private static void requireBootstrap(String servers) {
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be set, e.g. 127.0.0.1:9092");
        }
        for (String s : servers.split(",")) {
            if (!HOST_PORT.matcher(s.trim()).matches()) {
                throw new IllegalArgumentException("bootstrap server '" + s.trim()
                        + "' is not host:port (e.g. 127.0.0.1:9092)");
            }
        }
    }

    private static void requireHttpUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("schema registry URL must be set, e.g. http://127.0.0.1:8081");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
                throw new IllegalArgumentException("schema registry URL '" + url
                        + "' must be http(s)://host[:port][/path]");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("schema registry URL '" + url + "' is not a URL (" + e.getMessage()
                    + "); use http(s)://host[:port][/path]", e);
        }
    }

    private static void requireKafkaName(String what, String name) {
        if (name == null || !KAFKA_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(what + " '" + name
                    + "' must be 1-249 characters of [a-zA-Z0-9._-] and not '.' or '..'");
        }
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be > 0, was " + d);
        }
    }
}
