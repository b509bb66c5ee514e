package io.headerlog.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headerlog.collector.CpuPriority;
import io.headerlog.testing.Host;
import io.headerlog.testing.PrometheusText;
import io.headerlog.testing.TestHosts;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The collector as users run it: the jar, in or for a namespace, killed hard, given bad input. */
class CollectCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(30);
    private static TestHosts hosts;
    private static Host a;
    private static Host b;
    private static Path keyDir;
    private static Path key;

    @BeforeAll
    static void createHosts() throws IOException {
        hosts = TestHosts.pair();
        a = hosts.host(0);
        b = hosts.host(1);
        // a key of the test's own, so no run leaves the default /var/lib/headerlog/hmac.key behind
        keyDir = Files.createTempDirectory("headerlog-collect-it");
        key = keyDir.resolve("hmac.key");
        Files.write(key, new byte[32]);
    }

    @AfterAll
    static void deleteHosts() throws IOException {
        if (hosts != null) {
            hosts.close();
        }
        if (keyDir != null) {
            Files.deleteIfExists(key);
            Files.deleteIfExists(keyDir);
        }
    }

    /** Collector arguments plus the test's HMAC key. */
    private static List<String> args(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--hmac-key-file");
        all.add(key.toString());
        return all;
    }

    private static List<JsonNode> json(List<String> lines) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    @Test
    void shouldPrintJsonLinesInsideANamespaceLikeTcpdump() throws Exception {
        String ifName = b.endpoint().name();
        try (CollectorProcess c = CollectorProcess.start(List.of("ip", "netns", "exec", b.netns()),
                args("-i", ifName, "--sink", "stdout", "-Q", "in", "-c", "3", "--host-id", "host-b"))) {
            c.awaitCapturing(START);
            a.execOrThrow("ping", "-c", "3", "-i", "0.2", "-t", "33", b.ipv4().getHostAddress());
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            List<JsonNode> echo = json(c.stdout()).stream()
                    .filter(r -> r.path("icmp").path("type").asInt(-1) == 8).toList();
            assertThat(echo).isNotEmpty();
            JsonNode r = echo.get(0);
            assertThat(r.path("host").asText()).isEqualTo("host-b");
            assertThat(r.path("ifName").asText()).isEqualTo(ifName);
            assertThat(r.path("direction").asText()).isEqualTo("ingress");
            assertThat(r.path("ip").path("src").asText()).isEqualTo(a.ipv4().getHostAddress());
            assertThat(r.path("ip").path("dst").asText()).isEqualTo(b.ipv4().getHostAddress());
            assertThat(r.path("ip").path("ttl").asInt()).isEqualTo(33);
            for (int i = 1; i < echo.size(); i++) {
                assertThat(echo.get(i).path("icmp").path("echoSeq").asInt())
                        .isEqualTo(echo.get(i - 1).path("icmp").path("echoSeq").asInt() + 1);
                assertThat(echo.get(i).path("icmp").path("echoId").asInt()).isEqualTo(r.path("icmp").path("echoId").asInt());
            }
            assertThat(r.path("communityId").asText()).startsWith("1:");
            assertThat(c.stderr()).anyMatch(l -> l.startsWith("headerlog: stopped; seen"));
        }
    }

    @Test
    void shouldRefuseATakenMetricsPortBeforeTouchingAnyInterface() throws Exception {
        // Step 1: the port is taken, and the interface does not exist: whichever the collector meets
        // first is the error it reports, so the message shows that the port comes before the attach
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             CollectorProcess c = CollectorProcess.start(List.of(),
                     args("-i", "hl-absent0", "--sink", "stdout", "--cpu-priority", "normal", "--duration", "10",
                             "--metrics-listen", "127.0.0.1:" + taken.getLocalPort()))) {
            // Step 2: it stops at once with one error about the port
            assertThat(c.waitFor(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(c.stderr()).anyMatch(l -> l.startsWith("headerlog: error:") && l.contains("--metrics-listen")
                    && l.contains(Integer.toString(taken.getLocalPort())));
            assertThat(c.stderr()).noneMatch(l -> l.contains("hl-absent0")).noneMatch(l -> l.contains("capturing on"));
        }
    }

    @Test
    void shouldServeItsCountersAsPrometheusMetricsAndCloseThePortOnExit() throws Exception {
        // Step 1: a collector with an endpoint on any free loopback port, stats every second
        try (CollectorProcess c = CollectorProcess.start(List.of(),
                args("--netns", b.netns(), "-i", b.endpoint().name(), "--sink", "stdout", "--duration", "30",
                        "--stats-interval", "1", "--metrics-listen", "127.0.0.1:0", "--host-id", "metrics-b"))) {
            String line = c.awaitStderr(l -> l.startsWith("headerlog: metrics on "), START);
            URI uri = URI.create(line.substring("headerlog: metrics on ".length()).strip());
            c.awaitCapturing(START);
            // Step 2: 5 echo requests in and 5 replies out: at least 10 packets seen by the kernel
            a.execOrThrow("ping", "-c", "5", "-i", "0.2", b.ipv4().getHostAddress());
            // Step 3: the scrape shows them under the collector's host id, as counters
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            double seen = 0;
            String body = "";
            while (seen < 10 && System.nanoTime() < deadline) {
                body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
                seen = PrometheusText.value(body, "headerlog_collector_packets_seen_total{host=\"metrics-b\"}");
                Thread.sleep(300);
            }
            assertThat(seen).isGreaterThanOrEqualTo(10);
            assertThat(body).contains("# TYPE headerlog_collector_packets_seen_total counter")
                    .contains("headerlog_collector_ring_buffer_full_total{host=\"metrics-b\"} 0")
                    .contains("headerlog_collector_sample_rate{host=\"metrics-b\"} 1")
                    .contains("headerlog_collector_stats_timestamp_seconds{host=\"metrics-b\"}");
            assertThat(PrometheusText.value(body, "headerlog_collector_records_published_total{host=\"metrics-b\"}")).isPositive();
            // Step 4: a normal stop closes the port
            c.terminate();
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.net.ConnectException.class);
        }
    }

    @Test
    void shouldRunAtIdlePriorityAndReturnToNormalWhileItsRingBacksUp() throws Exception {
        // Step 1: a collector with the smallest ring (1 MiB, boost at 128 KiB waiting), every packet a record
        try (CollectorProcess c = CollectorProcess.start(List.of(),
                args("--netns", b.netns(), "-i", b.endpoint().name(), "--sink", "stdout", "-Q", "in",
                        "--ring-size", "1", "--duration", "60", "--host-id", "priority-b"))) {
            c.awaitCapturing(START);
            assertThat(policies(c.pid())).as("SCHED_IDLE (5) for every thread while it keeps up").containsOnly(5);

            // Step 2: stop the process; the kernel goes on filling the ring (600 records of ~450 bytes)
            new ProcessBuilder("kill", "-STOP", Long.toString(c.pid())).start().waitFor();
            try (DatagramSocket sender = a.call(() -> new DatagramSocket())) {
                byte[] payload = new byte[256];
                for (int i = 0; i < 600; i++) {
                    sender.send(new DatagramPacket(payload, payload.length,
                            new InetSocketAddress(b.ipv4(), 41500)));
                }
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(c.pid())).start().waitFor();
            }

            // Step 3: woken with that backlog, it says so and every thread runs at normal priority (0)
            c.awaitStderr(l -> l.contains("bytes wait in the ring: normal CPU priority"), Duration.ofSeconds(20));
            assertThat(policies(c.pid())).containsOnly(0);
        }
    }

    /** The scheduling policy of each thread of a process. */
    private static Set<Integer> policies(long pid) throws IOException {
        Set<Integer> out = new HashSet<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    out.add(CpuPriority.policyFromStat(Files.readString(task.resolve("stat"))));
                } catch (NoSuchFileException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    /** The value of the sample line that starts with {@code series}, or -1 when there is none. */
    @Test
    void shouldAttachInAnotherNamespaceWithNetnsFlag() throws Exception {
        try (CollectorProcess c = CollectorProcess.start(List.of(),
                args("--netns", b.netns(), "-i", b.endpoint().name(), "--sink", "stdout", "--duration", "20"))) {
            c.awaitCapturing(START);
            a.execOrThrow("ping", "-6", "-c", "2", "-i", "0.2", b.ipv6().getHostAddress());
            String line = c.awaitStdout(l -> l.contains("\"type\":129"), Duration.ofSeconds(10));
            JsonNode reply = JSON.readTree(line);
            assertThat(reply.path("direction").asText()).isEqualTo("egress");
            assertThat(reply.path("ip").path("version").asInt()).isEqualTo(6);
            assertThat(java.net.InetAddress.getByName(reply.path("ip").path("src").asText())).isEqualTo(b.ipv6());
            c.terminate();
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
        }
    }

    @Test
    void shouldLeaveNoProgramAttachedAfterSigkill() throws Exception {
        Set<Integer> linksBefore = BpfLinks.headerlogTcxLinks();
        Set<Integer> progsBefore = BpfLinks.headerlogPrograms();
        Set<Integer> ours;
        Set<Integer> ourProgs;
        try (CollectorProcess c = CollectorProcess.start(List.of(),
                args("--netns", b.netns(), "-i", b.endpoint().name(), "--sink", "stdout"))) {
            c.awaitCapturing(START);
            ours = new HashSet<>(BpfLinks.headerlogTcxLinks());
            ours.removeAll(linksBefore);
            ourProgs = new HashSet<>(BpfLinks.headerlogPrograms());
            ourProgs.removeAll(progsBefore);
            assertThat(ours).as("the collector's ingress and egress TCX links").hasSize(2);

            c.killHard();
        }
        // the kernel releases a dead process's fds asynchronously; give it a moment
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Set<Integer> left;
        do {
            left = new HashSet<>(BpfLinks.headerlogTcxLinks());
            left.retainAll(ours);
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(left).as("TCX links still attached after SIGKILL").isEmpty();
        Set<Integer> progsLeft = new HashSet<>(BpfLinks.headerlogPrograms());
        progsLeft.retainAll(ourProgs);
        assertThat(progsLeft).as("programs still loaded after SIGKILL").isEmpty();
    }

    @Test
    void shouldNameAnUnknownInterfaceInOneLine() throws Exception {
        try (CollectorProcess c = CollectorProcess.start(List.of(),
                args("--netns", b.netns(), "-i", "nope0", "--sink", "stdout"))) {
            assertThat(c.waitFor(START)).isEqualTo(1);
            assertThat(c.stderr()).anyMatch(l -> l.startsWith("headerlog: error: no interface named nope0"));
        }
    }

    @Test
    void shouldSayWhenTheBrokerIsUnreachable() throws Exception {
        try (CollectorProcess c = CollectorProcess.start(List.of(),
                args("--netns", b.netns(), "-i", b.endpoint().name(), "--bootstrap-servers", "127.0.0.1:1"))) {
            assertThat(c.waitFor(START)).isEqualTo(1);
            assertThat(c.stderr()).anyMatch(l -> l.startsWith("headerlog: error: Kafka at 127.0.0.1:1 is unreachable")
                    && l.contains("./headerlog stack start"));
        }
    }

    @Test
    void shouldSayThatCaptureNeedsRoot() throws Exception {
        // setpriv drops to nobody with no capabilities, as an unprivileged user would run it
        try (CollectorProcess c = CollectorProcess.start(
                List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"),
                // redact: no key file to read, so the first thing that fails is the kernel's refusal
                List.of("-i", "lo", "--sink", "stdout", "--secret-action", "redact"))) {
            assertThat(c.waitFor(START)).isEqualTo(1);
            assertThat(c.stderr()).anyMatch(l -> l.startsWith("headerlog: error:") && l.contains("root"));
        }
    }
}
