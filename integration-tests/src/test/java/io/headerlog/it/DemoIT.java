package io.headerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.Exec;
import io.headerlog.testing.ExecResult;
import io.headerlog.testing.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./headerlog demo --duration N} as a user runs it: it must end by itself with status 0, show
 * traffic of both hosts and HTTP request lines, and leave no namespace, process, BPF link or temp
 * directory behind.
 */
class DemoIT {

    @Test
    void shouldRunTheDemoForItsDurationAndLeaveNothingBehind() throws Exception {
        Set<String> tempBefore = tempEntries();
        Set<String> linksBefore = tcxLinks();

        // HEADERLOG_NO_BUILD: the reactor already built the jars this test runs
        ExecResult r = Exec.run(Duration.ofMinutes(6), "env", "HEADERLOG_NO_BUILD=1",
                RepoRoot.resolve("headerlog").toString(), "demo", "--duration", "40");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        String screen = r.stdout();
        assertThat(screen).as("the live view shows both hosts").contains("host-a").contains("host-b");
        assertThat(screen).as("the live view shows HTTP request lines").containsPattern("GET /\\S*\\?n=\\d+ HTTP/1\\.1");
        assertThat(screen).as("... HTTP responses").containsPattern("HTTP/1\\.[01] 200 OK");
        assertThat(screen).as("... DNS answers").containsPattern("DNS response www\\.demo\\.hl A NOERROR -> svc\\.demo\\.hl CNAME, 198\\.18\\.0\\.2 A");
        assertThat(screen).as("... TLS hellos").contains("TLS ClientHello sni=svc.demo.hl").contains("TLS ServerHello version=1.3");
        assertThat(screen).as("... host-b's deliberate 37 ms skew, estimated back from the traffic")
                .containsPattern("host-b\\s+host-a\\s+\\+3[67]\\.\\d{3}");

        assertThat(Exec.run(Duration.ofSeconds(10), "ip", "netns", "list").stdout()).doesNotContain("hl-demo-");
        assertThat(Exec.run(Duration.ofSeconds(10), "pgrep", "-f", "headerlog-demo|http.server 8080").stdout().trim()).isEmpty();
        assertThat(tempEntries()).as("entries in /tmp").isEqualTo(tempBefore);
        assertThat(tcxLinks()).isSubsetOf(linksBefore);
    }

    /** What is in /tmp, apart from the JVMs' own perf-data directories. */
    private static Set<String> tempEntries() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("hsperfdata_")).collect(Collectors.toSet());
        }
    }

    /** TCX link ids (bpftool shows them as type 11) of programs named hl_*. */
    private static Set<String> tcxLinks() {
        String progs = Exec.run(Duration.ofSeconds(10), "bpftool", "prog", "show").stdout();
        Set<String> ours = progs.lines().filter(l -> l.contains(" name hl_"))
                .map(l -> l.substring(0, l.indexOf(':'))).collect(Collectors.toSet());
        return Exec.run(Duration.ofSeconds(10), "bpftool", "link", "show").stdout().lines()
                .filter(l -> l.matches("\\d+: .*") && ours.stream().anyMatch(id -> l.contains("prog " + id)))
                .map(l -> l.substring(0, l.indexOf(':'))).collect(Collectors.toSet());
    }
}
