package io.headerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.Exec;
import io.headerlog.testing.ExecResult;
import io.headerlog.testing.RepoRoot;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code ./headerlog demo --duration N} as a user runs it: it must end by itself with status 0, show
 * traffic of both hosts, HTTP request lines, the clock skew estimated back and packets correlated
 * across the hosts, and leave no namespace, process, BPF link or temp directory behind.
 */
class DemoIT {

    @Test
    void shouldRunTheDemoForItsDurationAndLeaveNothingBehind() throws Exception {
        Set<String> tempBefore = Leftovers.tempEntries();
        Set<String> linksBefore = Leftovers.tcxLinks();

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
        // the two hosts see every packet between them (leaving one, reaching the other): streams.stats
        // must show packets correlated across them with a match rate, and HTTP joined from both ends
        assertThat(screen).as("... packets correlated across both hosts, from streams.stats")
                .containsPattern("\n    correlation +\\d+\\.\\d pkt/s  match +\\d+\\.\\d%  correlated [1-9]\\d*");
        assertThat(screen).as("... HTTP transactions from streams.stats")
                .containsPattern("\n    http +\\d+\\.\\d tx/s   match +\\d+\\.\\d%  transactions [1-9]\\d*");

        assertThat(Exec.run(Duration.ofSeconds(10), "ip", "netns", "list").stdout()).doesNotContain("hl-demo-");
        assertThat(Exec.run(Duration.ofSeconds(10), "pgrep", "-f", "headerlog-demo|http.server 8080").stdout().trim()).isEmpty();
        assertThat(Leftovers.tempEntries()).as("entries in /tmp").isEqualTo(tempBefore);
        assertThat(Leftovers.tcxLinks()).isSubsetOf(linksBefore);
    }
}
