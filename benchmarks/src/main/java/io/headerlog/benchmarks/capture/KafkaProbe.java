package io.headerlog.benchmarks.capture;

import io.headerlog.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What actually reached the broker: records in a topic (from its offsets — the collector produces
 * idempotently without transactions, so offsets count records exactly) and the mean size of the
 * records there.
 */
final class KafkaProbe implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Mean serialized sizes of the records read (value = Confluent wire format: 5 bytes + Avro). */
    record RecordSize(long records, double keyBytes, double valueBytes) {
        int totalBytes() {
            return (int) Math.round(keyBytes + valueBytes);
        }
    }

    private final String bootstrapServers;
    private final Admin admin;

    KafkaProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(p);
    }

    /** Creates {@code topic} with the project's partition count for its name (6 for headers.*). */
    void create(String topic) {
        Topics.ensureTopics(admin, Map.of(topic, Topics.defaultPartitions(topic)), TIMEOUT);
    }

    /** Records in {@code topic} now (0 if it does not exist yet). */
    long records(String topic) {
        try {
            if (!admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                return 0;
            }
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return offsets(partitions, OffsetSpec.latest()) - offsets(partitions, OffsetSpec.earliest());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting records of " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot count the records of topic " + topic + " at " + bootstrapServers + ": "
                    + e.getMessage() + "; is the broker still running?", e);
        }
    }

    private long offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec));
        ListOffsetsResult result = admin.listOffsets(request);
        long sum = 0;
        for (var info : result.all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()) {
            sum += info.offset();
        }
        return sum;
    }

    /** Reads up to {@code max} records of {@code topic} from the start and returns their mean sizes. */
    RecordSize meanRecordSize(String topic, int max) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "headerlog-bench-size-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long records = 0;
        long keyBytes = 0;
        long valueBytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            int emptyPolls = 0;
            while (records < max && System.nanoTime() < deadline && emptyPolls < 5) {
                var batch = consumer.poll(Duration.ofMillis(500));
                emptyPolls = batch.isEmpty() && records > 0 ? emptyPolls + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    if (records < max) {
                        records++;
                        keyBytes += r.serializedKeySize() < 0 ? 0 : r.serializedKeySize();
                        valueBytes += r.serializedValueSize() < 0 ? 0 : r.serializedValueSize();
                    }
                }
            }
        }
        if (records == 0) {
            throw new IllegalStateException("no records could be read from " + topic + " within " + TIMEOUT.toSeconds()
                    + " s to measure their size");
        }
        return new RecordSize(records, (double) keyBytes / records, (double) valueBytes / records);
    }

    /** Deletes the benchmark's topics from a broker it did not start (best effort). */
    void delete(List<String> topics) {
        try {
            admin.deleteTopics(topics).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("headerlog-bench: could not delete topics " + topics + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
