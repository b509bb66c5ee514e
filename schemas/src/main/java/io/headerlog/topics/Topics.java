package io.headerlog.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** The project's topic names and the one place that creates them. */
public final class Topics {

    /** PacketHeader records from the collectors, key = Community ID of the flow. */
    public static final String HEADERS_RAW = "headers.raw";
    /** EnrichedHeader records from the streams app, key = Community ID. */
    public static final String HEADERS_ENRICHED = "headers.enriched";
    /** CollectorStats snapshots, key = host. */
    public static final String COLLECTOR_STATS = "collector.stats";
    /** FlowSummary records (exact kernel flow counters) from the collectors, key = Community ID. */
    public static final String FLOWS_RAW = "flows.raw";
    /** FlowWindowSummary records (windowed estimates next to exact flow counters) from the streams app, key = Community ID. */
    public static final String FLOWS_SUMMARY = "flows.summary";
    /** ClockOffset estimates from the streams app, key = host. */
    public static final String CLOCK_OFFSETS = "clock.offsets";
    /** CorrelatedPacket records (one packet seen at several hosts) from the streams app, key = Community ID. */
    public static final String PACKETS_CORRELATED = "packets.correlated";
    /** HttpTransaction records (requests paired with responses, both ends joined), key = Community ID. */
    public static final String HTTP_TRANSACTIONS = "http.transactions";
    /** StreamsStats snapshots (counters of each streams-app instance), key = applicationId/instanceId. */
    public static final String STREAMS_STATS = "streams.stats";
    /** Suffix of a dead-letter topic: records of topic T that could not be processed go to T + this. */
    public static final String DLQ_SUFFIX = ".dlq";

    /** Partitions of the high-volume headers.* topics: parallelism for the streams app. */
    public static final int HEADER_TOPIC_PARTITIONS = 6;
    public static final int OTHER_TOPIC_PARTITIONS = 1;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Topics() {
    }

    /** The dead-letter topic of {@code topic}. */
    public static String deadLetters(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /** The default partition count of a topic: 6 for headers.*, flows.*, packets.* and http.* (keyed by flow), 1 otherwise (dead letters too). */
    public static int defaultPartitions(String topic) {
        boolean byFlow = (topic.startsWith("headers.") || topic.startsWith("flows.") || topic.startsWith("packets.")
                || topic.startsWith("http.")) && !topic.endsWith(DLQ_SUFFIX);
        return byFlow ? HEADER_TOPIC_PARTITIONS : OTHER_TOPIC_PARTITIONS;
    }

    /** Creates the project's topics where missing, with default partitions. */
    public static void ensureDefaultTopics(Admin admin) {
        ensureTopics(admin, HEADERS_RAW, HEADERS_ENRICHED, COLLECTOR_STATS, FLOWS_RAW, CLOCK_OFFSETS, deadLetters(HEADERS_RAW),
                PACKETS_CORRELATED, HTTP_TRANSACTIONS, STREAMS_STATS, FLOWS_SUMMARY);
    }

    /** Creates the given topics where missing, each with {@link #defaultPartitions}. */
    public static void ensureTopics(Admin admin, String... topics) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (String topic : topics) {
            partitions.put(topic, defaultPartitions(topic));
        }
        ensureTopics(admin, partitions, DEFAULT_TIMEOUT);
    }

    /**
     * Creates the topics that do not exist yet with the given partition counts and the broker's
     * default replication factor. Existing topics are left as they are (their partition count is
     * not changed), so concurrent callers and restarts are harmless. Returns when the created topics
     * are visible in the broker's metadata.
     *
     * @return the topics this call created
     */
    public static List<String> ensureTopics(Admin admin, Map<String, Integer> partitionsByTopic, Duration timeout) {
        List<NewTopic> wanted = new ArrayList<>();
        partitionsByTopic.forEach((topic, partitions) -> {
            if (partitions == null || partitions < 1) {
                throw new IllegalArgumentException("topic " + topic + " needs at least 1 partition, got " + partitions);
            }
            wanted.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
        });
        CreateTopicsResult result = admin.createTopics(wanted);
        List<String> created = new ArrayList<>();
        for (var entry : result.values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topic " + entry.getKey() + ": "
                            + e.getCause().getMessage() + " — is the broker reachable and may this client create topics?",
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Creating topic " + entry.getKey() + " did not finish within "
                        + timeout.toSeconds() + " s; is the broker at the bootstrap servers running?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topic " + entry.getKey(), e);
            }
        }
        awaitVisible(admin, created, timeout);
        return created;
    }

    /**
     * createTopics returns once the controller accepted the topics; the broker learns of them a moment
     * later. Waiting here means callers can describe and produce right away.
     */
    private static void awaitVisible(Admin admin, List<String> topics, Duration timeout) {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topics " + topics + " were created but are not visible after "
                            + timeout.toSeconds() + " s: " + e.getMessage(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + topics, e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + topics, e);
            }
        }
    }
}
