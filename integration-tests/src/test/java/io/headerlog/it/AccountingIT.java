package io.headerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.collector.decode.PacketHash;
import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.ConfluentAvroDeserializer;
import io.headerlog.testing.Host;
import io.headerlog.testing.TestHosts;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.topics.Topics;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Loss accounting as data, through the real collector and Kafka: with filters and sampling on, a
 * known number of packets adds up exactly in collector.stats, the kept records carry their label and
 * rate, and the flow counters stay exact while packets are sampled.
 */
class AccountingIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int KEPT_PORT = 7000;
    private static final int DENIED_PORT = 9999;

    private final String host = "acct-" + UUID.randomUUID().toString().substring(0, 8);
    private final SchemaRegistryClient registry = new RestSchemaRegistryClient(SharedStack.registryUrl());
    private TestHosts hosts;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        hosts = TestHosts.pair();
        dir = Files.createTempDirectory("headerlog-accounting-it");
    }

    @AfterEach
    void tearDown() {
        if (hosts != null) {
            hosts.close();
        }
        SharedStack.deleteRecursively(dir);
    }

    private CollectorProcess collector(String... extra) throws Exception {
        Host b = hosts.host(1);
        List<String> args = new ArrayList<>(List.of("--netns", b.netns(), "-i", b.endpoint().name(), "-Q", "in",
                "--host-id", host, "--bootstrap-servers", SharedStack.bootstrapServers(),
                "--registry-url", SharedStack.registryUrl(), "--stats-interval", "1", "--secret-action", "redact"));
        args.addAll(List.of(extra));
        CollectorProcess c = CollectorProcess.start(List.of(), args);
        c.awaitCapturing(WAIT);
        return c;
    }

    private void sendUdp(int port, int count, int payloadBytes) throws Exception {
        Host a = hosts.host(0);
        Host b = hosts.host(1);
        try (DatagramSocket s = a.call(() -> new DatagramSocket(new InetSocketAddress(a.ipv4(), 40123)))) {
            byte[] payload = new byte[payloadBytes];
            for (int i = 0; i < count; i++) {
                // every datagram different, so the sampling hash sees different packets
                payload[0] = (byte) i;
                payload[1] = (byte) (i >> 8);
                s.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(b.ipv4(), port)));
                if (i % 200 == 199) {
                    Thread.sleep(5); // stay well inside the ring and the kernel's socket budget
                }
            }
        }
    }

    @Test
    void shouldAccountForEveryPacketWithFiltersAndSampling() throws Exception {
        int sent = 2000;
        int denied = 300;
        try (CollectorProcess c = collector("--sample-rate", "10", "--deny-port", String.valueOf(DENIED_PORT),
                "--flow-idle-timeout", "1", "--flow-active-timeout", "60")) {
            // Step 1: known traffic — kept-or-sampled and filtered
            sendUdp(KEPT_PORT, sent, 32);
            sendUdp(DENIED_PORT, denied, 32);
            Thread.sleep(3_000); // the flows go idle and are exported
            c.terminate();
            assertThat(c.waitFor(WAIT)).isZero();
        }

        // Step 2: the final counters add up exactly
        CollectorStats last = lastStats();
        assertThat(last.getPacketsSeen())
                .isEqualTo(last.getFiltered() + last.getSampledOut() + last.getRecordsSubmitted() + last.getRingBufferFull());
        assertThat(last.getFiltered()).as("exactly the datagrams to the denied port").isEqualTo(denied);
        assertThat(last.getRingBufferFull()).isZero();
        assertThat(last.getRecordsRead()).isEqualTo(last.getRecordsSubmitted());
        assertThat(last.getRecordsRead()).isEqualTo(last.getDecodeErrors() + last.getRecordsPublished()
                + last.getPublishErrors() - last.getExtraMessageRecords());
        assertThat(last.getSampleRate()).isEqualTo(10);

        // Step 3: the kept records carry their label and rate; none of the denied port
        List<PacketHeader> records = readAll(Topics.HEADERS_RAW, PacketHeader.class, r -> r.getHost().equals(host));
        assertThat((long) records.size()).isEqualTo(last.getRecordsPublished());
        List<PacketHeader> kept = records.stream()
                .filter(h -> h.getUdp() != null && h.getUdp().getDstPort() == KEPT_PORT).toList();
        assertThat(kept.size()).as("1 in 10 of %d, within 4 standard deviations", sent).isBetween(146, 254);
        assertThat(kept).allSatisfy(h -> {
            assertThat(h.getSampleRate()).isEqualTo(10);
            assertThat(PacketHash.keep(h.getPacketHash(), 10)).isTrue();
        });
        assertThat(records).noneMatch(h -> h.getUdp() != null && h.getUdp().getDstPort() == DENIED_PORT);

        // Step 4: the flow counters are exact although packets were sampled; filtered flows are not counted
        List<FlowSummary> flows = readAll(Topics.FLOWS_RAW, FlowSummary.class, f -> f.getHost().equals(host));
        List<FlowSummary> udp = flows.stream().filter(f -> f.getDstPort() == KEPT_PORT && f.getProtocol() == 17).toList();
        assertThat(udp.stream().mapToLong(FlowSummary::getPackets).sum()).isEqualTo(sent);
        assertThat(udp.stream().mapToLong(FlowSummary::getBytes).sum()).isEqualTo((long) sent * (14 + 20 + 8 + 32));
        assertThat(udp).allSatisfy(f -> {
            assertThat(f.getSrcPort()).isEqualTo(40123);
            assertThat(f.getDirection()).isEqualTo("ingress");
            assertThat(f.getCommunityId()).isEqualTo(kept.get(0).getCommunityId());
        });
        assertThat(flows).noneMatch(f -> f.getDstPort() == DENIED_PORT);
        assertThat(last.getFlowsExported()).isGreaterThanOrEqualTo(udp.size());
    }

    @Test
    void shouldApplyAnEditedFilterFileWhileRunning() throws Exception {
        Path filters = dir.resolve("filters.json");
        Files.writeString(filters, "{\"denyPorts\": [" + KEPT_PORT + "]}");
        try (CollectorProcess c = collector("--filter-file", filters.toString())) {
            // Step 1: the file's rule holds from the first packet
            sendUdp(KEPT_PORT, 100, 16);
            // Step 2: edit the file; the collector applies it to the kernel maps, no reload
            Files.writeString(filters, "{\"denyPorts\": []}");
            Files.setLastModifiedTime(filters, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            c.awaitStderr(l -> l.startsWith("headerlog: filters changed"), WAIT);
            // Step 3: the same traffic now passes
            sendUdp(KEPT_PORT, 100, 16);
            Thread.sleep(1_000);
            c.terminate();
            assertThat(c.waitFor(WAIT)).isZero();
        }
        CollectorStats last = lastStats();
        assertThat(last.getFiltered()).isEqualTo(100);
        List<PacketHeader> records = readAll(Topics.HEADERS_RAW, PacketHeader.class, r -> r.getHost().equals(host));
        assertThat(records.stream().filter(h -> h.getUdp() != null && h.getUdp().getDstPort() == KEPT_PORT)).hasSize(100);
    }

    private CollectorStats lastStats() {
        List<CollectorStats> stats = readAll(Topics.COLLECTOR_STATS, CollectorStats.class, s -> s.getHost().equals(host));
        assertThat(stats).as("collector.stats of %s", host).isNotEmpty();
        return stats.stream().max((x, y) -> Long.compare(x.getTimeNs(), y.getTimeNs())).orElseThrow();
    }

    /**
     * Every record of {@code topic} written so far (the collector has exited, so all of its records
     * are in), read from the beginning to the end offsets taken now.
     */
    private <T extends SpecificRecord> List<T> readAll(String topic, Class<T> type, Predicate<T> keep) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<T> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                ConfluentAvroDeserializer.specific(registry, type))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, WAIT).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, WAIT);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, WAIT) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(topic + " could not be read to its end within " + WAIT);
                }
                for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(500))) {
                    if (keep.test(r.value())) {
                        out.add(r.value());
                    }
                }
            }
        }
        return out;
    }
}
