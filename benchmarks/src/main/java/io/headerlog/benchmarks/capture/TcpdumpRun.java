package io.headerlog.benchmarks.capture;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The capture peer: {@code tcpdump -i IF -w /dev/null -s 256} in host B, stopped with SIGTERM, after
 * which it prints its own accounting (captured, received by filter, dropped by kernel).
 */
final class TcpdumpRun implements AutoCloseable {
    static final int SNAPLEN = 256;
    private static final Pattern COUNT = Pattern.compile("^(\\d+) packets? (captured|received by filter|dropped by kernel)");

    /** tcpdump's final statistics. */
    record Stats(long captured, long receivedByFilter, long droppedByKernel) {}

    private final Child child;

    private TcpdumpRun(Child child) {
        this.child = child;
    }

    static TcpdumpRun start(BenchHosts hosts) {
        Child child = Child.start("tcpdump", BenchHosts.inNamespace(hosts.nsB(), "tcpdump", "-i", BenchHosts.IF_B,
                "-w", "/dev/null", "-s", Integer.toString(SNAPLEN), "-n"), true);
        try {
            child.awaitLine(l -> l.contains("listening on"), Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return new TcpdumpRun(child);
    }

    /** `ip netns exec` execs tcpdump, so the child's pid is tcpdump's. */
    ProcessCpu cpu() {
        return ProcessCpu.of(child.pid());
    }

    Stats stop() {
        child.stop(Duration.ofSeconds(20));
        return parse(child.tail(50));
    }

    static Stats parse(List<String> lines) {
        long captured = -1;
        long received = -1;
        long dropped = -1;
        for (String line : lines) {
            Matcher m = COUNT.matcher(line.strip());
            if (m.find()) {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "captured" -> captured = n;
                    case "received by filter" -> received = n;
                    default -> dropped = n;
                }
            }
        }
        if (captured < 0 || dropped < 0) {
            throw new IllegalStateException("tcpdump printed no final statistics; its output: " + String.join(" | ", lines));
        }
        return new Stats(captured, received, dropped);
    }

    @Override
    public void close() {
        child.close();
    }
}
