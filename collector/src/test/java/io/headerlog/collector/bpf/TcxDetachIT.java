package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.Exec;
import io.headerlog.testing.ExecResult;
import io.headerlog.testing.Host;
import io.headerlog.testing.TestHosts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Detaching, checked with bpftool as an independent witness: closing the program (or its links)
 * leaves no TCX link and no program behind, and neither does a killed process — the reason the
 * collector uses TCX links rather than classic tc filters.
 */
class TcxDetachIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** BPF_LINK_TYPE_TCX; bpftool 7.1 prints the number, newer ones the name. */
    private static final Pattern LINK = Pattern.compile("\"id\":(\\d+),\"type\":(?:11|\"tcx\"),\"prog_id\":(\\d+)");

    private TestHosts hosts;
    private Host b;
    private TestHosts.Endpoint eb;

    @BeforeAll
    static void requireRoot() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
    }

    @BeforeEach
    void createHosts() {
        hosts = TestHosts.pair();
        b = hosts.host(1);
        eb = hosts.link(0).b();
    }

    @AfterEach
    void deleteHosts() {
        hosts.close();
    }

    /** link id → program id of every TCX link in the system. */
    private static Map<Integer, Integer> tcxLinks() {
        ExecResult r = Exec.run(TIMEOUT, "bpftool", "-j", "link", "show").orThrow();
        Map<Integer, Integer> links = new HashMap<>();
        Matcher m = LINK.matcher(r.stdout());
        while (m.find()) {
            links.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return links;
    }

    private static boolean programLoaded(int id) {
        return Exec.run(TIMEOUT, "bpftool", "-j", "prog", "show", "id", Integer.toString(id)).ok();
    }

    private void assertPingWorks() {
        ExecResult ping = hosts.host(0).exec(TIMEOUT, "ping", "-c", "1", "-W", "2", eb.ipv4().getHostAddress());
        assertThat(ping.ok()).as("traffic passes: %s", ping.describe()).isTrue();
    }

    @Test
    void shouldLeaveNoLinkOrProgramAfterClose() {
        int in;
        int out;
        int progIn;
        int progOut;
        try (CaptureProgram program = CaptureProgram.load(new CaptureConfig(64, 1 << 16, 0))) {
            List<TcxLink> links = b.call(() -> List.of(program.attach(eb.ifindex(), Direction.INGRESS),
                    program.attach(eb.ifindex(), Direction.EGRESS)));
            in = links.get(0).linkId();
            out = links.get(1).linkId();
            progIn = program.programId(Direction.INGRESS);
            progOut = program.programId(Direction.EGRESS);
            assertThat(tcxLinks()).containsEntry(in, progIn).containsEntry(out, progOut);
            assertThat(program.links()).hasSize(2);
            assertPingWorks();
        }
        assertThat(tcxLinks()).doesNotContainKeys(in, out);
        assertThat(programLoaded(progIn)).isFalse();
        assertThat(programLoaded(progOut)).isFalse();
        assertPingWorks();
    }

    @Test
    void shouldDetachOnlyTheLinkThatIsClosed() {
        try (CaptureProgram program = CaptureProgram.load(new CaptureConfig(64, 1 << 16, 0))) {
            TcxLink ingress = b.call(() -> program.attach(eb.ifindex(), Direction.INGRESS));
            TcxLink egress = b.call(() -> program.attach(eb.ifindex(), Direction.EGRESS));
            int in = ingress.linkId();
            int out = egress.linkId();

            ingress.close();

            assertThat(tcxLinks()).doesNotContainKey(in).containsKey(out);
            assertThat(program.links()).containsExactly(egress);
            assertThat(programLoaded(program.programId(Direction.INGRESS))).as("the program outlives its link").isTrue();
        }
    }

    @Test
    void shouldDetachWhenTheProcessHoldingTheLinksIsKilled() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AttachAndHold.class.getName(), b.netns(), eb.name()).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder output = new StringBuilder();
            while ((line = lines.readLine()) != null && !line.startsWith("ATTACHED ")) {
                output.append(line).append('\n');
            }
            assertThat(line).as("child output: %s", output).isNotNull();
            String[] ids = line.split(" ");
            int in = Integer.parseInt(ids[1]);
            int out = Integer.parseInt(ids[2]);
            int progIn = Integer.parseInt(ids[3]);
            assertThat(tcxLinks()).containsEntry(in, progIn).containsKey(out);

            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            // The kernel releases the process's fds, and with them the links, asynchronously.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tcxLinks().containsKey(in) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(tcxLinks()).doesNotContainKeys(in, out);
            assertThat(programLoaded(progIn)).isFalse();
            assertPingWorks();
        } finally {
            Exec.kill(child);
        }
    }
}
