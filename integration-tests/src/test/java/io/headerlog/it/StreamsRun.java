package io.headerlog.it;

import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.serde.ConfluentAvroDeserializer;
import io.headerlog.streams.StreamFunctions;
import io.headerlog.streams.StreamsAppConfig;
import io.headerlog.testing.ExitCleanup;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One integration test's own streams app on the shared stack: its topics (named after the run, so
 * tests never read each other's records), its state dir, and the cleanup of both — internal topics
 * included — whatever the test's outcome.
 */
final class StreamsRun implements AutoCloseable {
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String appId;
    final String raw;
    final String enriched;
    final String clocks;
    final String correlated;
    final String http;
    /** FlowWindowSummary of the run's app; its flows input is the collectors' shared flows.raw (no flag moves it). */
    final String flowSummary;
    /** StreamsStats of the run's app, published every second so a test sees them soon. */
    final String stats;
    final SchemaRegistryClient registry = new RestSchemaRegistryClient(SharedStack.registryUrl());
    private final Admin admin;
    private final Path stateDir;
    // the app's state when the test JVM is stopped from outside and close() never runs
    private final ExitCleanup stateDirCleanup;

    StreamsRun(String name) throws IOException {
        appId = name + "-" + run;
        raw = "headers.raw." + appId;
        enriched = "headers.enriched." + appId;
        clocks = "clock.offsets." + appId;
        correlated = "packets.correlated." + appId;
        http = "http.transactions." + appId;
        flowSummary = "flows.summary." + appId;
        stats = "streams.stats." + appId;
        admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers()));
        stateDir = Files.createTempDirectory("headerlog-" + name);
        Path dir = stateDir;
        stateDirCleanup = ExitCleanup.register("streams-run-cleanup", () -> SharedStack.deleteRecursively(dir));
        Topics.ensureTopics(admin, config(StreamFunctions.DEFAULTS).topics());
    }

    /** The app's configuration on these topics. */
    StreamsAppConfig config(StreamFunctions functions) {
        return StreamsAppConfig.defaults(SharedStack.bootstrapServers(), SharedStack.registryUrl())
                .withApplicationId(appId).withStateDir(stateDir).withTopics(raw, enriched).withClockTopic(clocks)
                .withCorrelatedTopic(correlated).withHttpTopic(http).withFlowTopics(Topics.FLOWS_RAW, flowSummary)
                .withStats(stats, Duration.ofSeconds(1))
                .withFunctions(functions);
    }

    /** A read_committed consumer from the beginning, values through the registry. */
    <T extends SpecificRecord> KafkaConsumer<String, T> consumer(Class<T> type) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, appId + "-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new StringDeserializer(), ConfluentAvroDeserializer.specific(registry, type));
    }

    Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        List<String> ours = new ArrayList<>(List.of(config(StreamFunctions.DEFAULTS).topics()));
        ours.remove(Topics.FLOWS_RAW); // read, not owned: every collector publishes there
        try {
            admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(t -> t.startsWith(appId + "-")).forEach(ours::add);
        } catch (Exception e) {
            System.err.println("cleanup: listing internal topics: " + e.getMessage());
        }
        for (String topic : ours) {
            try {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("cleanup: topic " + topic + ": " + e.getMessage());
            }
        }
        admin.close();
        stateDirCleanup.close();
        SharedStack.deleteRecursively(stateDir);
    }
}
