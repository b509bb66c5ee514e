package io.headerlog.it.l7;

import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.testing.Host;
import io.headerlog.testing.TestHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Two test hosts — host 0 the client, host 1 the server — a scratch directory, and whatever a test
 * starts in them: servers, tshark and collectors on the server's veth end. {@link #close} stops all
 * of it (last started first), deletes the namespaces and the scratch directory; create the lab
 * before anything can fail and close it in a finally/@AfterAll.
 */
final class L7Lab implements AutoCloseable {
    static final Duration STARTUP = Duration.ofSeconds(60);
    /** Payload bytes the lab's collectors copy from a packet that starts an L7 message (--l7-snaplen). */
    static final int L7_SNAPLEN = 4096;

    private final Closer closer = new Closer();
    private final TestHosts hosts;
    private final Scratch scratch;
    private Path hmacKey;

    private L7Lab(TestHosts hosts, Scratch scratch) {
        this.hosts = hosts;
        this.scratch = scratch;
    }

    static L7Lab create(String purpose) {
        Scratch scratch = Scratch.create(purpose);
        try {
            L7Lab lab = new L7Lab(TestHosts.pair(), scratch);
            // closed last: after every process in the namespaces has been stopped
            lab.closer.add(scratch);
            lab.closer.add(lab.hosts);
            return lab;
        } catch (RuntimeException | Error e) {
            scratch.close();
            throw e;
        }
    }

    Host client() {
        return hosts.host(0);
    }

    Host server() {
        return hosts.host(1);
    }

    Scratch scratch() {
        return scratch;
    }

    NginxServer startNginx(Optional<String> setCookie) throws InterruptedException {
        return closer.add(NginxServer.start(server(), scratch.subdir("nginx"), setCookie));
    }

    DnsServer startDns() throws InterruptedException {
        return closer.add(DnsServer.start(server()));
    }

    /** tshark on the server's veth end: it sees what the collector on that end sees. */
    TsharkCapture startTshark() throws InterruptedException {
        return closer.add(TsharkCapture.start(server(), server().endpoint().name(), client().ipv4(),
                scratch.file("capture.pcapng")));
    }

    /**
     * Starts a collector attached to {@code host}'s veth end (both directions) with the lab's header
     * policy and L7 snap length, plus {@code options} (the sink); it does not wait for the collector
     * to capture (call {@link CollectorProcess#awaitCapturing}), so several JVMs start side by side.
     */
    CollectorProcess launchCollector(Host host, String hostId, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("--netns", host.netns(), "-i", host.endpoint().name(),
                "--host-id", hostId, "--l7-snaplen", String.valueOf(L7_SNAPLEN)));
        args.addAll(options);
        args.addAll(policyOptions());
        return closer.add(CollectorProcess.start(List.of(), args));
    }

    /**
     * The header policy options of every collector of the lab: one HMAC key file for all of them,
     * so equal secret values get equal tokens at every observer, and the collector does not create
     * its default key under /var/lib. The key is hex text: 64 bytes read raw, or 32 read as hex.
     */
    List<String> policyOptions() {
        return List.of("--hmac-key-file", hmacKeyFile().toString());
    }

    /** The lab's HMAC key file (hex text), created on first use. */
    Path hmacKeyFile() {
        if (hmacKey == null) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            hmacKey = scratch.file("hmac.key");
            try {
                Files.writeString(hmacKey, HexFormat.of().formatHex(key), StandardCharsets.US_ASCII);
                Files.setPosixFilePermissions(hmacKey, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the HMAC key file " + hmacKey, e);
            }
        }
        return hmacKey;
    }

    /** Stops a collector normally (SIGTERM: it drains the ring and flushes) and returns its stdout lines. */
    static List<String> stop(CollectorProcess collector) throws InterruptedException {
        collector.terminate();
        int status = collector.waitFor(STARTUP);
        if (status != 0) {
            throw new AssertionError("collector exited with " + status + "; stderr:\n" + String.join("\n", collector.stderr()));
        }
        return collector.stdout();
    }

    @Override
    public void close() {
        closer.close();
    }
}
