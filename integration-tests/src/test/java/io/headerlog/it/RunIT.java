package io.headerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.ConfluentAvroDeserializer;
import io.headerlog.testing.Exec;
import io.headerlog.testing.ExecResult;
import io.headerlog.testing.RepoRoot;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.topics.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * {@code ./headerlog run --duration 30} as an operator runs it on this machine: the collector on this
 * host's own interface (loopback, the only one that carries traffic here, with the test's own
 * requests) and the streams app, against the shared stack named in a config file; it must exit 0, publish
 * the test's HTTP requests enriched, and leave no process, BPF link or temp directory behind.
 */
class RunIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldPublishThisHostsOwnTrafficForItsDurationAndLeaveNothingBehind() throws Exception {
        Set<String> tempBefore = Leftovers.tempEntries();
        Set<String> linksBefore = Leftovers.tcxLinks();
        String hostId = "run-it-" + UUID.randomUUID().toString().substring(0, 8);

        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Thread responder = respond(server);

            // Step 1: ./headerlog run on loopback, only the test's port (the run's own Kafka traffic
            // crosses loopback too), against the shared stack named in a config file the way an
            // operator may write it: each app's cluster under its own prefix, the registry for both
            Path config = Files.createTempFile("run-it-", ".properties");
            Files.writeString(config, "collect.bootstrap-servers=" + SharedStack.bootstrapServers() + "\n"
                    + "stream.bootstrap-servers = " + SharedStack.bootstrapServers() + "\n"
                    + "registry-url: " + SharedStack.registryUrl() + "\n");
            Process run = new ProcessBuilder("env", "HEADERLOG_NO_BUILD=1", RepoRoot.resolve("headerlog").toString(), "run",
                    "--duration", "30", "--config", config.toString(),
                    "-i", "lo", "--host-id", hostId, "--allow-port", Integer.toString(port))
                    .redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            Thread reader = readLines(run, output);
            try {
                awaitLine(output, "headerlog: capturing on lo", run);

                // Step 2: the test's own HTTP requests over loopback
                for (int i = 0; i < 5; i++) {
                    request(port, "/run-it?n=" + i);
                    Thread.sleep(200);
                }

                // Step 3: the run ends by itself with status 0
                assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("run ended within its duration").isTrue();
                reader.join(5_000);
                assertThat(run.exitValue()).as(String.join("\n", output)).isZero();
                assertThat(output).anyMatch(l -> l.startsWith("headerlog: collector stopped; seen"));
                assertThat(output).as("no local stack of its own").noneMatch(l -> l.contains("starting the local stack"));
            } finally {
                run.destroyForcibly();
                responder.interrupt();
                Files.deleteIfExists(config);
            }

            // Step 4: the requests reached headers.enriched through the streams app, from this host id
            List<EnrichedHeader> ours = consumeEnriched(hostId, port);
            assertThat(ours).as("requests to port " + port + " on headers.enriched")
                    .anyMatch(e -> e.getHeader().getHttp() != null && "GET".equals(e.getHeader().getHttp().getMethod())
                            && e.getHeader().getHttp().getTarget().startsWith("/run-it?n="));
        }

        // Step 5: nothing left behind
        assertThat(Exec.run(Duration.ofSeconds(10), "pgrep", "-f", "headerlog-run").stdout().trim()).isEmpty();
        assertThat(Leftovers.tempEntries()).as("entries in /tmp").isEqualTo(tempBefore);
        assertThat(Leftovers.tcxLinks()).isSubsetOf(linksBefore);
    }

    @Test
    void shouldRefuseToStartWhenOnlyOneAppIsGivenACluster() throws Exception {
        Set<String> tempBefore = Leftovers.tempEntries();
        Path config = Files.createTempFile("run-it-", ".properties");
        try {
            Files.writeString(config, "collect.bootstrap-servers=" + SharedStack.bootstrapServers() + "\n");

            // the streams app would fall back to its built-in 127.0.0.1:9092: run says so before starting anything
            ExecResult r = Exec.run(Duration.ofSeconds(60), "env", "HEADERLOG_NO_BUILD=1",
                    RepoRoot.resolve("headerlog").toString(), "run", "--duration", "5", "--config", config.toString());

            assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isNotZero();
            assertThat(r.stdout() + r.stderr()).contains("only the collector is given a Kafka cluster")
                    .contains("stream.bootstrap-servers").doesNotContain("starting the local stack");
        } finally {
            Files.deleteIfExists(config);
        }
        assertThat(Leftovers.tempEntries()).as("entries in /tmp").isEqualTo(tempBefore);
    }

    private static Thread respond(ServerSocket server) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    String line;
                    while ((line = in.readLine()) != null && !line.isEmpty()) {
                        // read the request header block
                    }
                    s.getOutputStream().write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        }, "run-it-server");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void request(int port, String target) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readAllBytes();
        }
    }

    private static Thread readLines(Process p, List<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (sink) {
                        sink.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "run-it-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void awaitLine(List<String> lines, String prefix, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (lines) {
                if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
                    return;
                }
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        synchronized (lines) {
            throw new AssertionError("no line '" + prefix + "' from ./headerlog run:\n" + String.join("\n", lines));
        }
    }

    private static List<EnrichedHeader> consumeEnriched(String hostId, int port) {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(SharedStack.registryUrl());
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "run-it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<EnrichedHeader> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<String, EnrichedHeader> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                ConfluentAvroDeserializer.specific(registry, EnrichedHeader.class))) {
            consumer.subscribe(List.of(Topics.HEADERS_ENRICHED));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, EnrichedHeader> r : consumer.poll(Duration.ofMillis(500))) {
                    PacketHeader h = r.value().getHeader();
                    if (h.getHost().equals(hostId) && h.getTcp() != null
                            && (h.getTcp().getDstPort() == port || h.getTcp().getSrcPort() == port)) {
                        out.add(r.value());
                    }
                }
                if (out.stream().filter(e -> e.getHeader().getHttp() != null).count() >= 5) {
                    break;
                }
            }
        }
        return out;
    }
}
