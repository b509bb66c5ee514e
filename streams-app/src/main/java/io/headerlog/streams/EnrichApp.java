package io.headerlog.streams;

import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.streams.stats.StreamsInstance;
import io.headerlog.streams.stats.StreamsStatsPublisher;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of the enrich topology: owns the KafkaStreams client, its counters and the
 * publisher that puts them on the stats topic, and remembers the first fatal error so the command
 * can exit non-zero with the reason.
 */
public final class EnrichApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichApp.class);

    private final KafkaStreams streams;
    private final EnrichCounters counters;
    private final StreamsStatsPublisher stats;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();

    private EnrichApp(KafkaStreams streams, EnrichCounters counters, StreamsStatsPublisher stats) {
        this.streams = streams;
        this.counters = counters;
        this.stats = stats;
    }

    /** Builds the topology and starts processing; returns at once while the threads join the group. */
    public static EnrichApp start(StreamsAppConfig config, SchemaRegistryClient registry) {
        EnrichCounters counters = new EnrichCounters();
        Topology topology = EnrichTopology.build(config, registry, counters);
        LOG.info("topology:\n{}", topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties(counters));
        StreamsStatsPublisher stats = StreamsStatsPublisher.open(config.bootstrapServers(), registry, config.statsTopic(),
                StreamsInstance.startingNow(config.applicationId()), config.statsInterval(), () -> streams.state().name(),
                counters);
        EnrichApp app = new EnrichApp(streams, counters, stats);
        app.streams.setUncaughtExceptionHandler(e -> {
            // Replacing the thread would hit the same cause again (registry down, topic deleted):
            // stop the whole client and let the command report why.
            app.fatal.compareAndSet(null, e);
            LOG.error("stream thread failed, shutting down: {}", e.toString(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        app.streams.setStateListener((now, before) -> {
            LOG.info("streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING
                    || now == KafkaStreams.State.PENDING_ERROR) {
                app.stopped.countDown();
            }
        });
        app.streams.start();
        app.stats.start();
        return app;
    }

    public EnrichCounters counters() {
        return counters;
    }

    /** The publisher of this instance's StreamsStats (how many got through, for tests and the status line). */
    public StreamsStatsPublisher stats() {
        return stats;
    }

    /** Kafka Streams' own metrics (consumer lag, commit latency, …), for the Prometheus endpoint. */
    public java.util.Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> kafkaMetrics() {
        return streams.metrics();
    }

    /**
     * The newest ClockOffset of every host, from the global store the align step reads; empty while
     * the app is not running (the store cannot be queried then).
     */
    public java.util.Map<String, io.headerlog.schema.ClockOffset> clockOffsets() {
        java.util.Map<String, io.headerlog.schema.ClockOffset> out = new java.util.TreeMap<>();
        try {
            var store = streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                    EnrichTopology.CLOCK_OFFSETS_STORE,
                    org.apache.kafka.streams.state.QueryableStoreTypes.<String, io.headerlog.schema.ClockOffset>timestampedKeyValueStore()));
            try (var all = store.all()) {
                all.forEachRemaining(kv -> out.put(kv.key, kv.value.value()));
            }
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            // starting, rebalancing or stopped: no clocks to show this time
        }
        return out;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The error that stopped the app, or null while it runs or after a clean stop. */
    public Throwable fatalError() {
        return fatal.get();
    }

    /** Waits until the app stops on its own (an error) or {@code timeout} passes; true if it stopped. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Blocks until the app stops on its own (an error). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Closes the client, waiting up to {@code timeout} for in-flight records to be committed. The
     * instance leaves the consumer group: a stopped instance should hand its partitions to the
     * others now rather than after the session timeout. The stats publisher closes after it, so its
     * last snapshot holds the final counts.
     */
    public boolean close(Duration timeout) {
        boolean clean = streams.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (!clean) {
            LOG.warn("Kafka Streams did not close within {}; some threads may still be shutting down", timeout);
        }
        stats.close();
        return clean;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
