package io.headerlog.benchmarks.streams;

import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.serde.ConfluentAvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Capture → output latency as a downstream reader sees it: a read_committed consumer on the app's
 * output topic takes, for every record, the wall clock when poll returned it minus the record's
 * capture timestamp, into an HdrHistogram (µs, 3 significant digits). Records captured before the
 * warm-up ended are counted but not recorded. Runs on its own thread until {@link #stop()}.
 */
final class LatencyProbe<T extends SpecificRecord> implements AutoCloseable {
    private static final long HIGHEST_US = TimeUnit.MINUTES.toMicros(5);

    private final KafkaConsumer<String, T> consumer;
    private final ToLongFunction<T> captureTimeNs;
    private final Histogram histogram = new Histogram(HIGHEST_US, 3);
    private final AtomicLong seen = new AtomicLong();
    private final Thread thread;
    private volatile long recordFromNs = Long.MAX_VALUE;

    LatencyProbe(String bootstrapServers, SchemaRegistryClient registry, String topic, Class<T> type,
            ToLongFunction<T> captureTimeNs) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a reader that waits as little as possible for data: what a live consumer would configure
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), ConfluentAvroDeserializer.specific(registry, type));
        this.captureTimeNs = captureTimeNs;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "latency-probe-" + topic);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Records captured at or after {@code epochNs} go into the histogram. */
    void recordFrom(long epochNs) {
        recordFromNs = epochNs;
    }

    /** Records read so far (recorded or not). */
    long seen() {
        return seen.get();
    }

    /** Stops reading and returns the histogram of what was recorded. */
    Histogram stop() throws InterruptedException {
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        synchronized (histogram) {
            return histogram.copy();
        }
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                var batch = consumer.poll(Duration.ofMillis(200));
                long now = nowNs();
                synchronized (histogram) {
                    for (ConsumerRecord<String, T> r : batch) {
                        long captured = captureTimeNs.applyAsLong(r.value());
                        if (captured >= recordFromNs) {
                            histogram.recordValue(Math.max(0, Math.min(HIGHEST_US, (now - captured) / 1_000)));
                        }
                    }
                }
                seen.addAndGet(batch.count());
            }
        } catch (WakeupException stop) {
            // stop() asked
        }
    }

    static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public void close() {
        // the consumer is single-threaded: end the reading thread before closing it from here (a
        // wakeup left pending after the thread ended would surface in close instead)
        if (thread.isAlive()) {
            consumer.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
