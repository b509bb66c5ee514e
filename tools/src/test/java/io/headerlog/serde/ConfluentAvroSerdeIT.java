package io.headerlog.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The serde as Kafka clients instantiate it from configuration, against the real broker and registry. */
class ConfluentAvroSerdeIT {

    @Test
    void shouldProduceAndConsumeThroughKafkaConfiguredByClassName() throws Exception {
        String topic = "serde-it-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers()))) {
            Topics.ensureTopics(admin, Map.of(topic, 2), Duration.ofSeconds(30));
        }
        List<PacketHeader> sent = new ArrayList<>();
        try (KafkaProducer<String, PacketHeader> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class.getName(),
                SerdeConfig.REGISTRY_URL, SharedStack.registryUrl()))) {
            for (int i = 0; i < 20; i++) {
                PacketHeader header = header(i);
                sent.add(header);
                producer.send(new ProducerRecord<>(topic, header.getCommunityId(), header));
            }
            producer.flush();
        }

        List<PacketHeader> received = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ConfluentAvroDeserializer.class.getName(),
                SerdeConfig.REGISTRY_URL, SharedStack.registryUrl(),
                SerdeConfig.SPECIFIC_READER, true))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> received.add((PacketHeader) r.value()));
            }
        }

        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SharedStack.registryUrl());
        assertThat(registry.subjects()).contains(topic + "-value");
        assertThat(registry.latestVersion(topic + "-value")).get()
                .satisfies(v -> assertThat(v.schema()).isEqualTo(PacketHeader.getClassSchema()));
    }

    private static PacketHeader header(int i) {
        return PacketHeader.newBuilder().setHost("h" + (i % 2)).setIfName("veth" + i).setIfIndex(i).setDirection("ingress")
                .setMonoTimeNs(1_000L * i).setCaptureTimeNs(1_750_000_000_000_000_000L + i).setPacketLength(60 + i)
                .setPayloadLength(i).setCapturedPayloadLength(i).setCommunityId("1:flow" + (i % 5))
                .setTcp(Tcp.newBuilder().setSrcPort(40000 + i).setDstPort(80).setSeq(i).setAck(0).setFlags(2)
                        .setFlagNames("SYN").setWindow(1024).setHeaderLength(20)
                        .setOptions(TcpOptions.newBuilder().build()).build())
                .build();
    }
}
