package io.headerlog.benchmarks.streams;

import io.headerlog.benchmarks.streams.SyntheticTraffic.Sighting;
import io.headerlog.collector.sink.KafkaSink;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.ConfluentAvroSerializer;
import io.headerlog.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's side of the broker: creating its topics, producing PacketHeader records as a
 * collector does (same producer settings), and removing every topic and consumer group it made
 * when the broker is not its own.
 */
final class BenchKafka implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final SchemaRegistryClient registry;
    private final Admin admin;
    private final List<String> topics = new ArrayList<>();
    private final List<String> applicationIds = new ArrayList<>();

    BenchKafka(String bootstrapServers, SchemaRegistryClient registry) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(p);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    SchemaRegistryClient registry() {
        return registry;
    }

    /**
     * Creates the topics with the project's partition counts for their names. Only those this call
     * created are removed at the end: a topic that was there already is someone else's.
     */
    void create(String... names) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (String name : names) {
            partitions.put(name, Topics.defaultPartitions(name));
        }
        topics.addAll(Topics.ensureTopics(admin, partitions, TIMEOUT));
    }

    /** An application whose consumer group and internal topics are removed at the end. */
    void track(String applicationId) {
        applicationIds.add(applicationId);
    }

    /** A producer with the collector's KafkaSink settings (idempotent, acks=all, lz4, 20 ms linger, 256 KiB batches). */
    KafkaProducer<String, PacketHeader> producer() {
        Properties p = KafkaSink.producerProperties(bootstrapServers, "headerlog-streams-bench");
        // the bounded unpaced run may wait for buffer space: block as long as the producer's default,
        // not the collector's 2 s (the collector must never stall its ring reader; this one may)
        p.remove(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        return new KafkaProducer<>(p, new StringSerializer(), new ConfluentAvroSerializer<PacketHeader>(registry, false));
    }

    /** Sends one sighting with its capture time as the record time, as the collector does. */
    static void send(KafkaProducer<String, PacketHeader> producer, String topic, Sighting s) {
        producer.send(new ProducerRecord<>(topic, null, s.header().getCaptureTimeNs() / 1_000_000L, s.key(), s.header()));
    }

    /** Deletes what this run created on a broker it does not own (best effort, each step on its own). */
    void deleteCreated() {
        List<String> all = new ArrayList<>(topics);
        try {
            for (String t : admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                if (applicationIds.stream().anyMatch(id -> t.startsWith(id + "-"))) {
                    all.add(t);
                }
            }
            admin.deleteTopics(all).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            System.err.println("headerlog-bench: could not delete topics " + all + ": " + e.getMessage());
        }
        try {
            if (!applicationIds.isEmpty()) {
                admin.deleteConsumerGroups(applicationIds).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            System.err.println("headerlog-bench: could not delete consumer groups " + applicationIds + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
