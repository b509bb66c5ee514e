package io.headerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.ConfluentAvroDeserializer;
import io.headerlog.streams.EnrichApp;
import io.headerlog.streams.StreamsAppConfig;
import io.headerlog.testing.Host;
import io.headerlog.testing.TestHosts;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.topics.Topics;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton end to end, for real: eBPF capture on two namespace hosts → Avro on
 * headers.raw (through the real registry) → the streams app → headers.enriched.
 */
class PipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String hostA = "a-" + run;
    private final String hostB = "b-" + run;

    @Test
    void shouldCarryRealCaptureThroughHeadersRawAndTheStreamsAppToHeadersEnriched() throws Exception {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(SharedStack.registryUrl());
        Path stateDir = Files.createTempDirectory("headerlog-pipeline-it");
        // as ./headerlog stream does before it starts the app: the stack does not auto-create topics
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers()))) {
            Topics.ensureDefaultTopics(admin);
        }
        try (TestHosts hosts = TestHosts.pair();
             EnrichApp streams = EnrichApp.start(StreamsAppConfig.defaults(SharedStack.bootstrapServers(), SharedStack.registryUrl())
                     .withApplicationId("pipeline-it-" + run).withStateDir(stateDir), registry)) {
            Host a = hosts.host(0);
            Host b = hosts.host(1);

            // Step 1: a collector per host, attached inside its namespace, publishing from ours
            Path key = stateDir.resolve("hmac.key");
            Files.write(key, new byte[32]);
            try (CollectorProcess ca = collector(a, hostA, key); CollectorProcess cb = collector(b, hostB, key)) {
                ca.awaitCapturing(WAIT);
                cb.awaitCapturing(WAIT);

                // Step 2: real traffic between the hosts
                int clientPort = 40_000 + (int) (Math.random() * 20_000);
                int clientPort6 = clientPort + 1;
                tcpExchange(a, a.ipv4(), b, b.ipv4(), clientPort, "hello");
                tcpExchange(a, a.ipv6(), b, b.ipv6(), clientPort6, "hello6");
                udpDatagram(a, a.ipv4(), b.ipv4(), "ping-udp");
                udpDatagram(a, a.ipv6(), b.ipv6(), "ping-udp6");
                a.execOrThrow("ping", "-c", "2", "-i", "0.2", b.ipv4().getHostAddress());
                a.execOrThrow("ping", "-6", "-c", "2", "-i", "0.2", b.ipv6().getHostAddress());

                // Step 3: the records on headers.raw, decoded through the registry
                List<ConsumerRecord<String, PacketHeader>> raw = consume(Topics.HEADERS_RAW, PacketHeader.class, registry,
                        r -> isOurs(r.value().getHost()),
                        // every record the assertions below pick: the hosts' producers deliver independently
                        all -> hasHandshake(all, clientPort) && hasHandshake(all, clientPort6)
                                && has(all, hostB, h -> h.getIcmp() != null && h.getIcmp().getType() == 129)
                                && has(all, hostB, h -> h.getIcmp() != null && h.getIcmp().getType() == 128)
                                && has(all, hostB, h -> h.getUdp() != null && h.getUdp().getDstPort() == 9999
                                        && h.getIp().getVersion() == 4)
                                && has(all, hostA, h -> h.getTcp() != null && h.getPayloadLength() == 5
                                        && h.getTcp().getSrcPort() == clientPort)
                                && has(all, hostB, h -> h.getUdp() != null && h.getIp().getVersion() == 6));
                assertHandshake(raw, clientPort, a, b);
                assertHandshakeOverIpv6(raw, clientPort6, a, b);
                assertUdpAndIcmp(raw, a, b);

                // Step 4: the same records enriched by the streams app, with their provenance
                List<ConsumerRecord<String, EnrichedHeader>> enriched = consume(Topics.HEADERS_ENRICHED, EnrichedHeader.class,
                        registry, r -> isOurs(r.value().getHeader().getHost()),
                        all -> all.size() >= raw.size());
                assertProvenance(raw, enriched);
                assertThat(streams.counters().recordsOut()).isGreaterThanOrEqualTo(enriched.size());
                ca.terminate();
                cb.terminate();
                assertThat(ca.waitFor(WAIT)).isZero();
                assertThat(cb.waitFor(WAIT)).isZero();
                assertThat(ca.stderr()).anyMatch(l -> l.startsWith("headerlog: stopped;") && l.contains("publish errors 0"));

                // Step 5: the collectors' counters on collector.stats, the last one written at stop
                List<ConsumerRecord<String, CollectorStats>> stats = consume(Topics.COLLECTOR_STATS, CollectorStats.class,
                        registry, r -> r.value().getHost().equals(hostA),
                        all -> !all.isEmpty() && all.get(all.size() - 1).value().getRecordsPublished() > 0);
                CollectorStats last = stats.get(stats.size() - 1).value();
                assertThat(last.getPacketsSeen()).isEqualTo(last.getRecordsSubmitted() + last.getRingBufferFull());
                assertThat(last.getRecordsRead()).isEqualTo(last.getRecordsSubmitted());
                assertThat(last.getDecodeErrors()).isZero();
                assertThat(last.getInterfaces()).containsExactly(a.endpoint().name());
                assertThat(stats).allMatch(r -> r.key().equals(hostA));
            }
        } finally {
            SharedStack.deleteRecursively(stateDir);
        }
    }

    @Test
    void shouldSayWhenTheRegistryIsUnreachable() throws Exception {
        try (TestHosts hosts = TestHosts.pair();
             CollectorProcess c = CollectorProcess.start(List.of(), List.of("--netns", hosts.host(1).netns(),
                     "-i", hosts.host(1).endpoint().name(), "--bootstrap-servers", SharedStack.bootstrapServers(),
                     "--registry-url", "http://127.0.0.1:1", "--secret-action", "redact"))) {
            assertThat(c.waitFor(WAIT)).isEqualTo(1);
            assertThat(c.stderr()).anyMatch(l -> l.startsWith("headerlog: error: schema registry at http://127.0.0.1:1 is unreachable"));
        }
    }

    private boolean isOurs(String host) {
        return host.equals(hostA) || host.equals(hostB);
    }

    private static CollectorProcess collector(Host h, String hostId, Path key) throws Exception {
        return CollectorProcess.start(List.of(), List.of("--netns", h.netns(), "-i", h.endpoint().name(),
                "--host-id", hostId, "--bootstrap-servers", SharedStack.bootstrapServers(),
                "--registry-url", SharedStack.registryUrl(), "--stats-interval", "1",
                "--hmac-key-file", key.toString()));
    }

    /** A TCP connection from a fixed client port, a few bytes each way, then a clean close. */
    private static void tcpExchange(Host client, InetAddress clientAddr, Host server, InetAddress serverAddr,
                                    int clientPort, String message) throws Exception {
        try (ServerSocket listener = server.call(() -> new ServerSocket(8080, 10, serverAddr))) {
            Thread serving = new Thread(() -> {
                try (Socket s = listener.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] buf = in.readNBytes(message.length());
                    out.write(buf);
                } catch (Exception e) {
                    // the client's assertion reports it
                }
            });
            serving.start();
            try (Socket s = client.call(() -> {
                Socket sock = new Socket();
                sock.bind(new InetSocketAddress(clientAddr, clientPort));
                return sock;
            })) {
                s.connect(new InetSocketAddress(serverAddr, 8080), 5_000);
                s.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readNBytes(message.length()), StandardCharsets.US_ASCII)).isEqualTo(message);
            }
            serving.join(5_000);
        }
    }

    private static void udpDatagram(Host from, InetAddress fromAddr, InetAddress toAddr, String text) throws Exception {
        try (DatagramSocket s = from.call(() -> new DatagramSocket(new InetSocketAddress(fromAddr, 5353)))) {
            byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(toAddr, 9999)));
        }
    }

    private static boolean hasSyn(List<ConsumerRecord<String, PacketHeader>> all, String host, String direction, int port) {
        return has(all, host, h -> h.getDirection().equals(direction) && h.getTcp() != null
                && h.getTcp().getFlagNames().equals("SYN") && h.getTcp().getSrcPort() == port);
    }

    /** SYN seen leaving A and reaching B, SYN-ACK leaving B and reaching A. */
    private boolean hasHandshake(List<ConsumerRecord<String, PacketHeader>> all, int port) {
        Predicate<PacketHeader> synAck = h -> h.getTcp() != null && h.getTcp().getFlagNames().equals("SYN,ACK")
                && h.getTcp().getDstPort() == port;
        return hasSyn(all, hostA, "egress", port) && hasSyn(all, hostB, "ingress", port)
                && has(all, hostB, h -> h.getDirection().equals("egress") && synAck.test(h))
                && has(all, hostA, h -> h.getDirection().equals("ingress") && synAck.test(h));
    }

    private static boolean has(List<ConsumerRecord<String, PacketHeader>> all, String host, Predicate<PacketHeader> p) {
        return all.stream().map(ConsumerRecord::value).anyMatch(h -> h.getHost().equals(host) && p.test(h));
    }

    private static PacketHeader one(List<ConsumerRecord<String, PacketHeader>> all, String host, String direction,
                                    Predicate<PacketHeader> p) {
        return all.stream().map(ConsumerRecord::value)
                .filter(h -> h.getHost().equals(host) && h.getDirection().equals(direction) && p.test(h))
                .findFirst().orElseThrow(() -> new AssertionError("no " + direction + " record at " + host + " matches"));
    }

    private void assertHandshake(List<ConsumerRecord<String, PacketHeader>> raw, int port, Host a, Host b) {
        Predicate<PacketHeader> syn = h -> h.getTcp() != null && h.getTcp().getFlagNames().equals("SYN") && h.getTcp().getSrcPort() == port;
        Predicate<PacketHeader> synAck = h -> h.getTcp() != null && h.getTcp().getFlagNames().equals("SYN,ACK") && h.getTcp().getDstPort() == port;
        PacketHeader synAtA = one(raw, hostA, "egress", syn);
        PacketHeader synAtB = one(raw, hostB, "ingress", syn);
        PacketHeader synAckAtB = one(raw, hostB, "egress", synAck);
        PacketHeader synAckAtA = one(raw, hostA, "ingress", synAck);

        // the same packet seen by both hosts: identical header fields, same flow key
        assertThat(synAtB.getTcp()).isEqualTo(synAtA.getTcp());
        assertThat(synAtB.getIp()).isEqualTo(synAtA.getIp());
        assertThat(synAtB.getCommunityId()).isEqualTo(synAtA.getCommunityId()).isEqualTo(synAckAtA.getCommunityId());
        // what the test sent
        assertThat(synAtA.getIp().getSrc()).isEqualTo(a.ipv4().getHostAddress());
        assertThat(synAtA.getIp().getDst()).isEqualTo(b.ipv4().getHostAddress());
        assertThat(synAtA.getIp().getProtocol()).isEqualTo(6);
        assertThat(synAtA.getIp().getTtl()).isEqualTo(64);
        assertThat(synAtA.getIp().getDontFragment()).isTrue();
        assertThat(synAtA.getTcp().getDstPort()).isEqualTo(8080);
        assertThat(synAtA.getTcp().getAck()).isZero();
        assertThat(synAtA.getTcp().getOptions().getMss()).isEqualTo(1460);   // veth MTU 1500 − 40
        assertThat(synAtA.getTcp().getOptions().getSackPermitted()).isTrue();
        assertThat(synAtA.getTcp().getOptions().getWindowScale()).isNotNull();
        assertThat(synAtA.getTcp().getOptions().getTsVal()).isNotNull();
        assertThat(synAtA.getTcp().getHeaderLength()).isEqualTo(40);
        assertThat(synAtA.getPacketLength()).isEqualTo(14 + 20 + 40);
        assertThat(synAtA.getIp().getTotalLength()).isEqualTo(20 + 40);
        assertThat(synAtA.getPayloadLength()).isZero();
        // the handshake's sequence arithmetic
        assertThat(synAckAtB.getTcp().getAck()).isEqualTo((synAtA.getTcp().getSeq() + 1) & 0xffffffffL);
        assertThat(synAckAtA.getTcp().getSeq()).isEqualTo(synAckAtB.getTcp().getSeq());
        assertThat(synAckAtA.getTcp().getOptions().getTsEcr()).isEqualTo(synAtA.getTcp().getOptions().getTsVal());
        // capture times: the SYN leaves A before it reaches B (one kernel clock, no skew)
        assertThat(synAtB.getMonoTimeNs()).isGreaterThanOrEqualTo(synAtA.getMonoTimeNs());
        assertThat(synAtA.getCaptureTimeNs() - synAtA.getMonoTimeNs()).isPositive();
        // data: 5 bytes of payload in a PSH,ACK segment
        PacketHeader data = one(raw, hostA, "egress", h -> h.getTcp() != null && h.getTcp().getSrcPort() == port && h.getPayloadLength() == 5);
        assertThat(data.getTcp().getFlagNames()).isEqualTo("PSH,ACK");
        assertThat(data.getTcp().getSeq()).isEqualTo((synAtA.getTcp().getSeq() + 1) & 0xffffffffL);
        assertThat(data.getCapturedPayloadLength()).isEqualTo(5);
        for (ConsumerRecord<String, PacketHeader> r : raw) {
            assertThat(r.key()).isEqualTo(r.value().getCommunityId());
        }
    }

    private void assertHandshakeOverIpv6(List<ConsumerRecord<String, PacketHeader>> raw, int port, Host a, Host b)
            throws Exception {
        Predicate<PacketHeader> syn = h -> h.getTcp() != null && h.getTcp().getFlagNames().equals("SYN") && h.getTcp().getSrcPort() == port;
        PacketHeader synAtA = one(raw, hostA, "egress", syn);
        PacketHeader synAtB = one(raw, hostB, "ingress", syn);
        PacketHeader synAck = one(raw, hostB, "egress", h -> h.getTcp() != null
                && h.getTcp().getFlagNames().equals("SYN,ACK") && h.getTcp().getDstPort() == port);
        assertThat(synAtB.getIp()).isEqualTo(synAtA.getIp());
        assertThat(InetAddress.getByName(synAtA.getIp().getSrc())).isEqualTo(a.ipv6());
        assertThat(InetAddress.getByName(synAtA.getIp().getDst())).isEqualTo(b.ipv6());
        assertThat(synAtA.getIp().getVersion()).isEqualTo(6);
        assertThat(synAtA.getIp().getTtl()).as("hop limit").isEqualTo(64);
        assertThat(synAtA.getIp().getIpId()).as("no fragment header").isNull();
        assertThat(synAtA.getIp().getFlowLabel()).isNotNull();
        assertThat(synAtA.getIp().getTotalLength()).isEqualTo(40 + 40);
        assertThat(synAtA.getPacketLength()).isEqualTo(14 + 40 + 40);
        assertThat(synAtA.getEthernet().getEtherType()).isEqualTo(0x86dd);
        assertThat(synAtA.getTcp().getOptions().getMss()).isEqualTo(1440);   // veth MTU 1500 − 60
        assertThat(synAck.getTcp().getAck()).isEqualTo((synAtA.getTcp().getSeq() + 1) & 0xffffffffL);
        assertThat(synAck.getCommunityId()).isEqualTo(synAtA.getCommunityId());
        PacketHeader udp6 = one(raw, hostB, "ingress", h -> h.getUdp() != null && h.getIp().getVersion() == 6);
        assertThat(udp6.getUdp().getLength()).isEqualTo(8 + "ping-udp6".length());
        assertThat(udp6.getUdp().getSrcPort()).isEqualTo(5353);
    }

    private void assertUdpAndIcmp(List<ConsumerRecord<String, PacketHeader>> raw, Host a, Host b) {
        PacketHeader udp = one(raw, hostB, "ingress", h -> h.getUdp() != null && h.getUdp().getDstPort() == 9999
                && h.getIp().getVersion() == 4);
        assertThat(udp.getUdp().getSrcPort()).isEqualTo(5353);
        assertThat(udp.getUdp().getLength()).isEqualTo(8 + "ping-udp".length());
        assertThat(udp.getPayloadLength()).isEqualTo("ping-udp".length());
        assertThat(udp.getIp().getSrc()).isEqualTo(a.ipv4().getHostAddress());
        PacketHeader echo6 = one(raw, hostB, "ingress", h -> h.getIcmp() != null && h.getIcmp().getType() == 128);
        PacketHeader reply6 = one(raw, hostB, "egress", h -> h.getIcmp() != null && h.getIcmp().getType() == 129
                && h.getIcmp().getEchoSeq().equals(echo6.getIcmp().getEchoSeq()));
        assertThat(echo6.getIp().getVersion()).isEqualTo(6);
        assertThat(echo6.getIp().getTtl()).isEqualTo(64);
        assertThat(reply6.getIcmp().getEchoId()).isEqualTo(echo6.getIcmp().getEchoId());
        assertThat(reply6.getCommunityId()).isEqualTo(echo6.getCommunityId());
    }

    private static void assertProvenance(List<ConsumerRecord<String, PacketHeader>> raw,
                                         List<ConsumerRecord<String, EnrichedHeader>> enriched) {
        assertThat(enriched).hasSizeGreaterThanOrEqualTo(raw.size());
        for (ConsumerRecord<String, PacketHeader> r : raw) {
            EnrichedHeader e = enriched.stream().map(ConsumerRecord::value)
                    .filter(x -> x.getRawPartition() == r.partition() && x.getRawOffset() == r.offset())
                    .findFirst().orElseThrow(() -> new AssertionError("no enriched record for raw " + r.partition() + "/" + r.offset()));
            assertThat(e.getRawTopic()).isEqualTo(Topics.HEADERS_RAW);
            assertThat(e.getHeader()).isEqualTo(r.value());
            assertThat(e.getProcessedAtMs() * 1_000_000L).isGreaterThanOrEqualTo(r.value().getCaptureTimeNs() - 1_000_000L);
        }
        for (ConsumerRecord<String, EnrichedHeader> e : enriched) {
            assertThat(e.key()).isEqualTo(e.value().getHeader().getCommunityId());
        }
    }

    /** Reads a topic from the beginning until {@code done} holds for the matching records. */
    private static <T extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<String, T>> consume(
            String topic, Class<T> type, SchemaRegistryClient registry, Predicate<ConsumerRecord<String, T>> keep,
            Predicate<List<ConsumerRecord<String, T>>> done) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "pipeline-it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Deserializer<T> values = ConfluentAvroDeserializer.specific(registry, type);
        List<ConsumerRecord<String, T>> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(500))) {
                    if (keep.test(r)) {
                        out.add(r);
                    }
                }
                if (done.test(out)) {
                    return out;
                }
            }
        }
        throw new AssertionError("topic " + topic + " did not hold the expected records within " + WAIT + "; got " + out.size());
    }
}
