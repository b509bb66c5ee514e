package io.headerlog.streams.stats;

import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.StreamsStats;
import io.headerlog.serde.ConfluentAvroSerializer;
import io.headerlog.streams.EnrichCounters;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an instance's counters as StreamsStats on the stats topic every interval, and once more,
 * marked {@code last}, when it is closed after the app stopped.
 *
 * <p>Outside the topology on purpose: with its own plain producer (no transaction) the stats keep
 * coming while the app rebalances or is stuck, which is when they are wanted, and the topology —
 * its nodes, its EOS transactions, the tests that count them — stays as it is. A failed send is
 * logged once (and its recovery once) and never stops the app: stats are a view of the work, not
 * part of it.
 */
public final class StreamsStatsPublisher implements AutoCloseable {
    private volatile StreamsStats latest;
    private static final Logger LOG = LoggerFactory.getLogger(StreamsStatsPublisher.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Producer<String, StreamsStats> producer;
    private final String topic;
    private final StreamsInstance instance;
    private final Duration interval;
    private final Supplier<String> state;
    private final EnrichCounters counters;
    private final ScheduledExecutorService timer;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param state what the app's state is now (e.g. {@code () -> streams.state().name()})
     */
    public StreamsStatsPublisher(Producer<String, StreamsStats> producer, String topic, StreamsInstance instance,
            Duration interval, Supplier<String> state, EnrichCounters counters) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.state = Objects.requireNonNull(state, "state");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "headerlog-streams-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /** A publisher with its own producer to {@code bootstrapServers}, values in the Confluent wire format. */
    public static StreamsStatsPublisher open(String bootstrapServers, SchemaRegistryClient registry, String topic,
            StreamsInstance instance, Duration interval, Supplier<String> state, EnrichCounters counters) {
        KafkaProducer<String, StreamsStats> producer = new KafkaProducer<>(producerProperties(bootstrapServers,
                instance.applicationId() + "-stats"), new StringSerializer(),
                new ConfluentAvroSerializer<StreamsStats>(registry, false));
        return new StreamsStatsPublisher(producer, topic, instance, interval, state, counters);
    }

    static Properties producerProperties(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // One small record every few seconds: send at once. Bounded waits, so a missing topic or a
        // broker that is down costs the stats thread a few seconds, never the stream threads.
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        return p;
    }

    /** Publishes every interval from now on (the first snapshot one interval after the start). */
    public void start() {
        long ms = interval.toMillis();
        timer.scheduleAtFixedRate(() -> publish(false), ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Sends one snapshot now; {@code last} marks the final one. Never throws. */
    public void publish(boolean last) {
        try {
            StreamsStats stats = StreamsStatsRecords.of(instance, EpochNanos.now(), interval, state.get(), last, counters);
            latest = stats;
            producer.send(new ProducerRecord<>(topic, instance.key(), stats), this::onDelivery);
        } catch (RuntimeException e) {
            // serialization (registry down), buffer full past max.block.ms, closed producer
            recordFailure(e);
        }
    }

    /** The newest snapshot built (sent or not); null before the first. The metrics endpoint reads it. */
    public StreamsStats latest() {
        return latest;
    }

    /** Snapshots the broker acknowledged. */
    public long delivered() {
        return delivered.get();
    }

    /** Snapshots that could not be sent or were not acknowledged. */
    public long failed() {
        return failed.get();
    }

    /** Stops the timer, publishes the last snapshot and closes the producer (waiting a few seconds at most). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publish(true);
        try {
            producer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            // e.g. an interrupt while the app shuts down: the stats must not turn a clean stop into a failure
            LOG.warn("closing the stats producer: {}", e.toString());
        }
    }

    private void onDelivery(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            delivered.incrementAndGet();
            if (failing.compareAndSet(true, false)) {
                LOG.info("stats are reaching {} again", topic);
            }
        } else {
            recordFailure(exception);
        }
    }

    private void recordFailure(Exception e) {
        failed.incrementAndGet();
        if (failing.compareAndSet(false, true)) {
            LOG.warn("cannot publish stats to {} ({}); the app goes on, and says when they get through again",
                    topic, e.toString());
        }
    }
}
