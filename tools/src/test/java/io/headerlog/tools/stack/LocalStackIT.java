package io.headerlog.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.schema.CollectorStats;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.topics.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldRunBrokerAndRegistryThenStopWithoutLeavingProcessesOrPorts() throws Exception {
        StackConfig config = StackConfig.onFreePorts(dataDir);
        int schemaId;
        long brokerPid;
        long registryPid;
        try (LocalStack stack = LocalStack.start(config)) {
            System.out.printf("local stack ready: broker %d ms, registry %d ms%n",
                    stack.brokerStartup().toMillis(), stack.registryStartup().toMillis());
            brokerPid = stack.brokerPid();
            registryPid = stack.registryPid();
            assertThat(ProcessHandle.of(brokerPid)).get().satisfies(p -> assertThat(p.isAlive()).isTrue());

            try (Admin admin = admin(stack)) {
                assertThat(Topics.ensureTopics(admin, Map.of(Topics.COLLECTOR_STATS, 1, Topics.HEADERS_RAW, 6),
                        Duration.ofSeconds(30))).containsExactlyInAnyOrder(Topics.COLLECTOR_STATS, Topics.HEADERS_RAW);
                // a second call creates nothing and does not fail
                Topics.ensureDefaultTopics(admin);
                var descriptions = admin.describeTopics(List.of(Topics.HEADERS_RAW, Topics.HEADERS_ENRICHED,
                        Topics.COLLECTOR_STATS)).allTopicNames().get(30, TimeUnit.SECONDS);
                assertThat(descriptions.get(Topics.HEADERS_RAW).partitions()).hasSize(6);
                assertThat(descriptions.get(Topics.HEADERS_ENRICHED).partitions()).hasSize(6);
                assertThat(descriptions.get(Topics.COLLECTOR_STATS).partitions()).hasSize(1);
            }

            Serde<CollectorStats> serde = AvroSerdes.specific(CollectorStats.class,
                    new RestSchemaRegistryClient(stack.registryUrl()), false);
            CollectorStats stats = stats("host-a");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                    new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.COLLECTOR_STATS, "host-a",
                        serde.serializer().serialize(Topics.COLLECTOR_STATS, stats))).get(30, TimeUnit.SECONDS);
            }
            List<ConsumerRecord<String, byte[]>> consumed = consume(stack.bootstrapServers(), Topics.COLLECTOR_STATS, 1);
            assertThat(consumed).hasSize(1);
            assertThat(consumed.get(0).key()).isEqualTo("host-a");
            assertThat(serde.deserializer().deserialize(Topics.COLLECTOR_STATS, consumed.get(0).value())).isEqualTo(stats);

            // the proxy serves the Confluent API at the root; Apicurio serves the same registry under its prefix
            RestSchemaRegistryClient atRoot = new RestSchemaRegistryClient(stack.registryUrl());
            RestSchemaRegistryClient direct = new RestSchemaRegistryClient(stack.apicurioCcompatUrl());
            schemaId = atRoot.register("stack-it-value", CollectorStats.getClassSchema());
            assertThat(direct.getById(schemaId)).isEqualTo(CollectorStats.getClassSchema());
            assertThat(direct.subjects()).contains("stack-it-value", Topics.COLLECTOR_STATS + "-value");
            HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(stack.registryUrl() + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).contains("json"));
            assertThat(raw.body()).contains("\"stack-it-value\"");
            HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(stack.registryUrl() + "/schemas/ids/987654")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("40403");

            assertThatThrownBy(() -> LocalStack.start(StackConfig.onFreePorts(dataDir)))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("Another local stack is using " + dataDir.toAbsolutePath());
        }

        assertGone(brokerPid, registryPid, config);

        // everything persisted in the data directory survives a restart
        try (LocalStack again = LocalStack.start(config)) {
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(again.registryUrl());
            assertThat(registry.register("stack-it-value", CollectorStats.getClassSchema())).isEqualTo(schemaId);
            assertThat(consume(again.bootstrapServers(), Topics.COLLECTOR_STATS, 1)).hasSize(1);
            brokerPid = again.brokerPid();
            registryPid = again.registryPid();
        }
        assertGone(brokerPid, registryPid, config);
        assertThat(Files.readString(config.logDir().resolve("kafka.log"))).contains("Kafka Server started");
    }

    @Test
    void shouldNameTheBusyPortWhenAPortIsTaken() throws Exception {
        StackConfig config = StackConfig.onFreePorts(dataDir);
        try (ServerSocket taken = new ServerSocket(config.apicurioPort(), 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> LocalStack.start(config))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining(config.apicurioPort() + " (apicurio, --apicurio-port)");
        }
        assertThat(FreePorts.isFree(config.registryPort())).isTrue();
    }

    private static void assertGone(long brokerPid, long registryPid, StackConfig config) {
        assertThat(ProcessHandle.of(brokerPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(registryPid).filter(ProcessHandle::isAlive)).isEmpty();
        for (int port : new int[] {config.brokerPort(), config.controllerPort(), config.registryPort(), config.apicurioPort()}) {
            assertThat(FreePorts.isFree(port)).as("port %d is free", port).isTrue();
        }
    }

    static CollectorStats stats(String host) {
        return CollectorStats.newBuilder().setHost(host).setStartedAtNs(1).setTimeNs(2).setInterfaces(List.of("lo"))
                .setPacketsSeen(10).setRecordsSubmitted(9).setRingBufferFull(1).setRecordsRead(9)
                .setRecordsPublished(9).build();
    }

    private static Admin admin(LocalStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    private static List<ConsumerRecord<String, byte[]>> consume(String bootstrap, String topic, int expected) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "local-stack-it-" + System.nanoTime()),
                new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

}
