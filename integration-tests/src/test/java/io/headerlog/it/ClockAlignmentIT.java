package io.headerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.streams.EnrichApp;
import io.headerlog.streams.StreamFunctions;
import io.headerlog.streams.StreamsAppConfig;
import io.headerlog.testing.Host;
import io.headerlog.testing.TestHosts;
import io.headerlog.tools.stack.SharedStack;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timestamp alignment for real: two namespace hosts share one kernel clock, so host B's collector
 * runs with a test-only 37 ms skew; the streams app must estimate it back from the TCP handshakes
 * both collectors saw, and put B's records on A's clock.
 */
class ClockAlignmentIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long MS = 1_000_000L;
    private static final long SKEW_NS = 37 * MS;
    private static final int SERVER_PORT = 8088;

    private StreamsRun streams;
    private String hostA;
    private String hostB;

    @BeforeEach
    void createTopics() throws Exception {
        streams = new StreamsRun("clock-it");
        hostA = "clk-a-" + streams.run;
        hostB = "clk-b-" + streams.run;
    }

    @AfterEach
    void deleteTopics() {
        streams.close();
    }

    @Test
    void shouldEstimateA37msSkewBackAndAlignTheHandshakes() throws Exception {
        StreamsAppConfig config = streams.config(StreamFunctions.DEFAULTS.withClockReference(Optional.of(hostA)));
        try (TestHosts hosts = TestHosts.pair(); EnrichApp app = EnrichApp.start(config, streams.registry)) {
            Host a = hosts.host(0);
            Host b = hosts.host(1);
            try (CollectorProcess ca = collector(a, hostA); CollectorProcess cb = collector(b, hostB, "--clock-skew", "37ms");
                 ServerSocket server = b.call(() -> new ServerSocket(SERVER_PORT, 50, b.ipv4()))) {
                ca.awaitCapturing(WAIT);
                cb.awaitCapturing(WAIT);
                Thread accepting = acceptForever(server);

                // Step 1: handshakes from A to B, over a few of the model's 2 s buckets
                connect(a, b, 30, Duration.ofMillis(200));

                // Step 2: the estimate the app aligns with converges to the skew
                ClockOffset offset = awaitOffset(app, o -> Math.abs(o.getOffsetNs() - SKEW_NS) <= MS && o.getSamples() >= 3);
                System.out.printf("clock model: %s offset %.3f ms ± %.1f µs, drift %.2f ppm, %d samples%n", hostB,
                        offset.getOffsetNs() / 1e6, offset.getErrorBoundNs() / 1e3, offset.getDriftPpm(), offset.getSamples());
                assertThat(offset.getReference()).isEqualTo(hostA);
                assertThat(offset.getErrorBoundNs()).as("bound on a veth round trip").isLessThan(MS);
                assertThat(Math.abs(offset.getOffsetNs() - SKEW_NS)).isLessThanOrEqualTo(Math.max(offset.getErrorBoundNs(), MS / 10));

                // Step 3: handshakes after the model exists are aligned
                long after = System.currentTimeMillis();
                List<Integer> ports = connect(a, b, 5, Duration.ofMillis(100));
                List<EnrichedHeader> records = awaitEnriched(ports);
                accepting.interrupt();
                for (int port : ports) {
                    EnrichedHeader synOut = one(records, hostA, "egress", port, 2);
                    EnrichedHeader synIn = one(records, hostB, "ingress", port, 2);
                    EnrichedHeader synAckIn = one(records, hostA, "ingress", port, 18);
                    assertThat(synIn.getAlignedTimeNs()).as("aligned after %d", after).isNotNull();
                    long rtt = synAckIn.getHeader().getCaptureTimeNs() - synOut.getHeader().getCaptureTimeNs();
                    long aligned = synIn.getAlignedTimeNs() - synOut.getAlignedTimeNs();
                    long unaligned = synIn.getHeader().getCaptureTimeNs() - synOut.getHeader().getCaptureTimeNs();
                    System.out.printf("port %d: one-way %d ns aligned (± %d), %d ns unaligned, RTT %d ns%n", port, aligned,
                            synIn.getClockErrorNs(), unaligned, rtt);
                    assertThat(aligned).isBetween(0L, rtt);
                    assertThat(unaligned - SKEW_NS).as("unaligned: off by the skew").isBetween(-MS, MS);
                    assertThat(synOut.getClockErrorNs()).as("the reference's own clock").isZero();
                }
            }
        }
    }

    private CollectorProcess collector(Host h, String hostId, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--netns", h.netns(), "-i", h.endpoint().name(), "--host-id", hostId,
                "--bootstrap-servers", SharedStack.bootstrapServers(), "--registry-url", SharedStack.registryUrl(),
                "--topic", streams.raw, "--secret-action", "redact"));
        args.addAll(List.of(extra));
        return CollectorProcess.start(List.of(), args);
    }

    private static Thread acceptForever(ServerSocket server) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getInputStream().readAllBytes();
                } catch (Exception e) {
                    return;
                }
            }
        }, "clock-it-server");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** {@code count} connections from A to B, each from its own port, {@code gap} apart; the client ports. */
    private static List<Integer> connect(Host a, Host b, int count, Duration gap) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try (Socket s = a.call(() -> {
                Socket sock = new Socket();
                sock.bind(new InetSocketAddress(a.ipv4(), 0));
                return sock;
            })) {
                s.connect(new InetSocketAddress(b.ipv4(), SERVER_PORT), 5_000);
                ports.add(s.getLocalPort());
            }
            Thread.sleep(gap.toMillis());
        }
        return ports;
    }

    /**
     * B's estimate in the app's own clock-offsets store (what its align step reads) once it passes
     * {@code good}: on clock.offsets it can be visible before the app's global store thread has read
     * it, and handshakes aligned in between would not be.
     */
    private ClockOffset awaitOffset(EnrichApp app, Predicate<ClockOffset> good) throws InterruptedException {
        ClockOffset b = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            b = app.clockOffsets().get(hostB);
            if (b != null && good.test(b)) {
                return b;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no estimate of " + hostB + " within 1 ms of 37 ms in " + WAIT + "; last: " + b);
    }

    private List<EnrichedHeader> awaitEnriched(List<Integer> ports) {
        List<EnrichedHeader> out = new ArrayList<>();
        try (KafkaConsumer<String, EnrichedHeader> consumer = consumer(EnrichedHeader.class)) {
            consumer.subscribe(List.of(streams.enriched));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> out.add(r.value()));
                if (ports.stream().allMatch(p -> find(out, hostA, "ingress", p, 18).isPresent()
                        && find(out, hostB, "ingress", p, 2).isPresent() && find(out, hostA, "egress", p, 2).isPresent())) {
                    return out;
                }
            }
        }
        throw new AssertionError("the handshakes of ports " + ports + " did not all reach " + streams.enriched);
    }

    private static Optional<EnrichedHeader> find(List<EnrichedHeader> records, String host, String direction, int clientPort,
            int flags) {
        return records.stream().filter(e -> e.getHeader().getHost().equals(host)
                && e.getHeader().getDirection().equals(direction) && e.getHeader().getTcp() != null
                && e.getHeader().getTcp().getFlags() == flags
                && (e.getHeader().getTcp().getSrcPort() == clientPort || e.getHeader().getTcp().getDstPort() == clientPort))
                .findFirst();
    }

    private static EnrichedHeader one(List<EnrichedHeader> records, String host, String direction, int port, int flags) {
        return find(records, host, direction, port, flags).orElseThrow();
    }

    private <T extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, T> consumer(Class<T> type) {
        return streams.consumer(type);
    }
}
