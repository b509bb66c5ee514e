package io.headerlog.streams;

import io.headerlog.registry.SchemaRegistryClient;
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
 * One running instance of the enrich topology: owns the KafkaStreams client, its counters, and
 * remembers the first fatal error so the command can exit non-zero with the reason.
 */
public final class EnrichApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichApp.class);

    private final KafkaStreams streams;
    private final EnrichCounters counters;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();

    private EnrichApp(KafkaStreams streams, EnrichCounters counters) {
        this.streams = streams;
        this.counters = counters;
    }

    /** Builds the topology and starts processing; returns at once while the threads join the group. */
    public static EnrichApp start(StreamsAppConfig config, SchemaRegistryClient registry) {
        EnrichCounters counters = new EnrichCounters();
        Topology topology = EnrichTopology.build(config, registry, counters);
        LOG.info("topology:\n{}", topology.describe());
        EnrichApp app = new EnrichApp(new KafkaStreams(topology, config.streamsProperties(counters)), counters);
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
        return app;
    }

    public EnrichCounters counters() {
        return counters;
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
     * others now rather than after the session timeout.
     */
    public boolean close(Duration timeout) {
        boolean clean = streams.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (!clean) {
            LOG.warn("Kafka Streams did not close within {}; some threads may still be shutting down", timeout);
        }
        return clean;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
