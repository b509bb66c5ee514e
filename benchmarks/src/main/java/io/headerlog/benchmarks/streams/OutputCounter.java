package io.headerlog.benchmarks.streams;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the records an app wrote to its output topic as a downstream reader sees them
 * (read_committed: only committed transactions), without decoding them, so the counting costs the
 * measured app as little CPU as possible.
 */
final class OutputCounter {
    private OutputCounter() {
    }

    /**
     * @param records        how many records the app was given
     * @param seconds        from the first output record seen to the last
     * @param firstBatch     records already there when the first was seen (left out of the rate)
     * @param startupSeconds from the app's start to its first output record
     */
    record Throughput(long records, double seconds, long firstBatch, double startupSeconds) {
        double recordsPerSecond() {
            return seconds <= 0 ? Double.NaN : (records - firstBatch) / seconds;
        }
    }

    /**
     * Waits until {@code expected} records are on {@code topic}; {@code startedNanos} is when the
     * app was started. Fails after {@code timeout}, or at once when {@code failed} says the app stopped.
     */
    static Throughput await(String bootstrapServers, String topic, long expected, long startedNanos, Duration timeout,
            BooleanSupplier failed) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long seen = 0;
            long firstAt = 0;
            long firstBatch = 0;
            while (seen < expected) {
                if (System.nanoTime() > deadline || failed.getAsBoolean()) {
                    throw new IllegalStateException(topic + " holds " + seen + " of " + expected + " records after "
                            + Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds() + " s"
                            + (failed.getAsBoolean() ? "; the app stopped" : ""));
                }
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (!batch.isEmpty() && seen == 0) {
                    firstAt = System.nanoTime();
                    firstBatch = batch.count();
                }
                seen += batch.count();
            }
            long now = System.nanoTime();
            return new Throughput(seen, (now - firstAt) / 1e9, firstBatch, (firstAt - startedNanos) / 1e9);
        }
    }
}
