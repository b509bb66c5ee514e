package io.headerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.collector.sink.KafkaSink;
import io.headerlog.testing.ExitCleanup;
import io.headerlog.testing.Host;
import io.headerlog.testing.PrometheusText;
import io.headerlog.testing.TestHosts;
import io.headerlog.tools.stack.SharedStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * A collector stopped while its broker does not answer: it stops within its close timeout instead
 * of waiting out the producer's two-minute delivery timeout, and the records it could not send are
 * counted as publish errors, not lost from the accounting.
 */
class BrokerOutageIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern SUMMARY = Pattern.compile("published (\\d+), publish errors (\\d+)");

    @Test
    void shouldStopWithinItsCloseTimeoutWhileTheBrokerIsDownAndCountWhatItCouldNotSend() throws Exception {
        String topic = "headers.raw.outage-it-" + UUID.randomUUID().toString().substring(0, 8);
        long broker = listeningPid(SharedStack.bootstrapServers());
        try (TestHosts hosts = TestHosts.pair();
             CollectorProcess c = CollectorProcess.start(List.of(), List.of("--netns", hosts.host(1).netns(),
                     "-i", hosts.host(1).endpoint().name(), "--host-id", "outage-b", "--topic", topic,
                     "--bootstrap-servers", SharedStack.bootstrapServers(), "--registry-url", SharedStack.registryUrl(),
                     "--secret-action", "redact", "--stats-interval", "1", "--metrics-listen", "127.0.0.1:0"))) {
            Host a = hosts.host(0);
            Host b = hosts.host(1);
            String line = c.awaitStderr(l -> l.startsWith("headerlog: metrics on "), START);
            URI metrics = URI.create(line.substring("headerlog: metrics on ".length()).strip());
            c.awaitCapturing(START);

            // Step 1: records reach the broker, so the producer knows where the next ones go
            a.execOrThrow("ping", "-c", "3", "-i", "0.2", b.ipv4().getHostAddress());
            awaitPublished(metrics, 6);

            // Step 2: the broker stops answering (SIGSTOP keeps its connections open, as a hung broker
            // or a dead link does), and the next records wait in the producer; resumed at JVM exit too,
            // so a test JVM stopped from outside during the outage does not leave the shared broker stopped
            ExitCleanup resume = ExitCleanup.register("broker-outage-resume", () -> signalQuietly("CONT", broker));
            signal("STOP", broker);
            try {
                a.execOrThrow("ping", "-c", "5", "-i", "0.2", b.ipv4().getHostAddress());
                Thread.sleep(500); // read from the ring and handed to the producer

                // Step 3: a normal stop ends within the close timeout and counts what it could not send
                long stopAt = System.nanoTime();
                c.terminate();
                int exit = c.waitFor(KafkaSink.CLOSE_TIMEOUT.plusSeconds(20));
                Duration took = Duration.ofNanos(System.nanoTime() - stopAt);
                System.out.printf("stopped in %d ms with the broker down (exit %d)%n", took.toMillis(), exit);
                assertThat(took).isLessThan(KafkaSink.CLOSE_TIMEOUT.plusSeconds(5));
                String stopped = c.stderr().stream().filter(l -> l.startsWith("headerlog: stopped;")).findFirst()
                        .orElseThrow(() -> new AssertionError("no summary line in " + c.stderr()));
                Matcher m = SUMMARY.matcher(stopped);
                assertThat(m.find()).as(stopped).isTrue();
                assertThat(Long.parseLong(m.group(1))).as(stopped).isGreaterThanOrEqualTo(6);
                assertThat(Long.parseLong(m.group(2))).as("the records sent into the outage: %s", stopped)
                        .isGreaterThanOrEqualTo(10);
            } finally {
                signal("CONT", broker);
                resume.close();
                deleteTopic(topic);
            }
        }
    }

    private static void awaitPublished(URI metrics, long atLeast) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START.toNanos();
        double published = 0;
        while (System.nanoTime() < deadline) {
            String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            published = PrometheusText.value(body, "headerlog_collector_records_published_total{host=\"outage-b\"}");
            if (published >= atLeast) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the collector published " + published + " records within " + START + ", wanted " + atLeast);
    }

    /** The process listening on the bootstrap address's port: the broker, whoever started it. */
    private static long listeningPid(String bootstrap) throws Exception {
        String first = bootstrap.split(",")[0];
        String port = first.substring(first.lastIndexOf(':') + 1);
        Process ss = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes());
        ss.waitFor(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("pid=(\\d+)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no process listens on " + bootstrap + ": " + out);
        }
        return Long.parseLong(m.group(1));
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + pid + " failed");
        }
    }

    private static void signalQuietly(String name, long pid) {
        try {
            signal(name, pid);
        } catch (Exception e) {
            System.err.println("kill -" + name + " " + pid + ": " + e.getMessage());
        }
    }

    private static void deleteTopic(String topic) {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("cleanup: topic " + topic + ": " + e.getMessage());
        }
    }
}
