package io.headerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.collector.decode.PacketHash;
import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.FlowWindowSummary;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.ConfluentAvroDeserializer;
import io.headerlog.streams.EnrichApp;
import io.headerlog.streams.StreamFunctions;
import io.headerlog.streams.flows.FlowWindowConfig;
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
import java.util.TreeMap;
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
 * rate, and the flow counters stay exact while packets are sampled — and the streams app's
 * flows.summary puts those exact counters, window by window, next to an estimate from the sampled
 * records that is within sampling error of them.
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
        // short windows: the traffic takes well under a second and its flow is exported 1-2 s after it
        FlowWindowConfig windows = FlowWindowConfig.DEFAULTS.withWindow(Duration.ofSeconds(2))
                .withGrace(Duration.ofSeconds(10)).withIdleAdvance(Duration.ofSeconds(1));
        try (StreamsRun streams = new StreamsRun("acct-it");
             EnrichApp app = EnrichApp.start(streams.config(StreamFunctions.DEFAULTS.withFlowWindows(windows)),
                     streams.registry)) {
            shouldAccountForEveryPacket(streams, windows.window().toNanos(), app);
        }
    }

    private void shouldAccountForEveryPacket(StreamsRun streams, long windowNs, EnrichApp app) throws Exception {
        int sent = 2000;
        int denied = 300;
        try (CollectorProcess c = collector("--topic", streams.raw, "--sample-rate", "10", "--deny-port",
                String.valueOf(DENIED_PORT), "--flow-idle-timeout", "1", "--flow-active-timeout", "60")) {
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
        List<PacketHeader> records = readAll(streams.raw, PacketHeader.class, r -> r.getHost().equals(host));
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

        // Step 5: flows.summary has flows.raw's exact counters in the windows of their lastSeenNs, and an
        // estimate of 10 per kept record, within 4 standard errors (√(n·(N−1)) at 1 in N) of the exact count
        List<FlowWindowSummary> summaries = awaitSummaries(streams, sent, app);
        Map<Long, Long> exactByWindow = new TreeMap<>();
        udp.forEach(f -> exactByWindow.merge(Math.floorDiv(f.getLastSeenNs(), windowNs) * windowNs, f.getPackets(), Long::sum));
        Map<Long, Long> summaryExact = new TreeMap<>();
        summaries.stream().filter(s -> s.getExactPackets() != null)
                .forEach(s -> summaryExact.merge(s.getWindowStartNs(), s.getExactPackets(), Long::sum));
        assertThat(summaryExact).isEqualTo(exactByWindow);
        assertThat(summaries.stream().filter(s -> s.getExactBytes() != null).mapToLong(FlowWindowSummary::getExactBytes).sum())
                .isEqualTo((long) sent * (14 + 20 + 8 + 32));
        long estimated = summaries.stream().mapToLong(FlowWindowSummary::getEstimatedPackets).sum();
        double error = Math.sqrt(summaries.stream().mapToDouble(s -> s.getEstimatedPacketsError() * s.getEstimatedPacketsError()).sum());
        System.out.printf("flows.summary: %d windows, estimated %d ± %.0f packets, exact %d%n", summaries.size(), estimated,
                error, sent);
        assertThat(estimated).as("every kept record counted, at its rate").isEqualTo(10L * kept.size());
        assertThat((double) Math.abs(estimated - sent)).isLessThanOrEqualTo(4 * Math.sqrt(sent * 9.0));
        assertThat(error).as("the published error is the sampling error").isCloseTo(Math.sqrt(kept.size() * 90.0),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(summaries.stream().mapToLong(FlowWindowSummary::getEstimatedBytes).sum()).isEqualTo(estimated * 74);
        assertThat(summaries).allSatisfy(s -> {
            assertThat(s.getSrcPort()).isEqualTo(40123);
            assertThat(s.getDirection()).isEqualTo("ingress");
            assertThat(s.getCommunityId()).isEqualTo(kept.get(0).getCommunityId());
        });
    }

    /** This flow's summaries, once their exact counters add up to everything that was sent. */
    private List<FlowWindowSummary> awaitSummaries(StreamsRun streams, int sent, EnrichApp app) {
        List<FlowWindowSummary> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<String, FlowWindowSummary> consumer = streams.consumer(FlowWindowSummary.class)) {
            consumer.subscribe(List.of(streams.flowSummary));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, FlowWindowSummary> r : consumer.poll(Duration.ofMillis(500))) {
                    FlowWindowSummary s = r.value();
                    if (s.getHost().equals(host) && s.getProtocol() == 17 && s.getDstPort() == KEPT_PORT) {
                        out.add(s);
                    }
                }
                // the window of the flow's last packet closes last: the earlier ones are in by then
                if (out.stream().mapToLong(s -> s.getExactPackets() == null ? 0 : s.getExactPackets()).sum() >= sent) {
                    return out;
                }
            }
        }
        throw new AssertionError(streams.flowSummary + " did not sum to " + sent + " exact packets within " + WAIT + ": " + out
                + "; streams app " + app.state() + ": " + app.counters().flowWindows());
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
