package io.headerlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/**
 * The headerlog-init step of docker-compose.yml against a real broker and a real Confluent-API
 * registry (the shared local stack): every project topic exists afterwards with its default
 * partition count, every value subject is registered, and a second run changes nothing.
 */
class InitTopicsAndSchemasIT {

    @Test
    void createsTopicsAndRegistersSubjectsIdempotently() throws Exception {
        String[] args = {"--bootstrap-servers", SharedStack.bootstrapServers(), "--registry-url", SharedStack.registryUrl(),
            "--wait-seconds", "30"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = InitTopicsAndSchemas.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("registered headers.enriched-value");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(TopicSchemas.valueSchemas().keySet())
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            topics.forEach((name, d) -> assertThat(d.partitions()).as(name).hasSize(Topics.defaultPartitions(name)));
        }
        assertThat(new RestSchemaRegistryClient(SharedStack.registryUrl()).subjects()).containsAll(
                TopicSchemas.valueSchemas().keySet().stream().map(TopicSchemas::valueSubject).toList());

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(InitTopicsAndSchemas.run(args, new PrintStream(again, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();
        assertThat(again.toString(StandardCharsets.UTF_8)).isEqualTo(out.toString(StandardCharsets.UTF_8));
    }
}
