package io.headerlog.benchmarks.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The real collector jar, run as users run it ({@code java -Xmx… -jar headerlog-collector.jar
 * --netns B -i IF …}), attached to B's veth end. Stopped with SIGTERM, after which its summary line
 * gives the exact accounting of the run.
 */
final class CollectorRun implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    enum Sink {
        KAFKA, STDOUT;

        String flag() {
            return name().toLowerCase();
        }
    }

    /**
     * What to run.
     *
     * @param sampleRate {@code --sample-rate N}, or empty to run the collector's default (and to run a
     *                   collector that has no such flag yet)
     * @param topic      a fresh topic per run, so its record count is this run's alone
     */
    record Spec(Sink sink, OptionalInt sampleRate, String topic, String label) {
        /** {@code defaultRate}: the collector's own default, shown when no rate is passed. */
        static Spec of(Sink sink, OptionalInt sampleRate, OptionalInt defaultRate, String topic) {
            String rate = sampleRate.isPresent() ? "1/" + sampleRate.getAsInt()
                    : defaultRate.isPresent() ? "1/" + defaultRate.getAsInt() + " (default)" : "(no sampling)";
            return new Spec(sink, sampleRate, topic, "collector " + sink.flag() + " " + rate);
        }
    }

    private final Spec spec;
    private final Child child;
    private CollectorSummary summary;

    private CollectorRun(Spec spec, Child child) {
        this.spec = spec;
        this.child = child;
    }

    static CollectorRun start(BenchmarkConfig config, BenchHosts hosts, Endpoints kafka, Spec spec) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + config.collectorHeap());
        // the JVM flags ./headerlog collect uses (COLLECTOR_JVM in the script): fewer idle wakeups
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:-UsePerfData"));
        cmd.add("-jar");
        cmd.add(config.collectorJar().toString());
        cmd.addAll(List.of("--netns", hosts.nsB(), "-i", BenchHosts.IF_B, "--host-id", "bench-b", "--sink", spec.sink().flag()));
        if (spec.sink() == Sink.KAFKA) {
            cmd.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", kafka.registryUrl(),
                    "--topic", spec.topic()));
        }
        spec.sampleRate().ifPresent(n -> cmd.addAll(List.of("--sample-rate", Integer.toString(n))));
        cmd.addAll(config.collectorArgs());
        // with --sink stdout every record is a JSON line: to /dev/null, as `> /dev/null` would
        Child child = Child.start(spec.label(), cmd, false);
        try {
            child.awaitLine(l -> l.startsWith("headerlog: capturing on"), START_TIMEOUT);
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return new CollectorRun(spec, child);
    }

    Spec spec() {
        return spec;
    }

    long pid() {
        return child.pid();
    }

    ProcessCpu cpu() {
        return ProcessCpu.of(child.pid());
    }

    /** Kernel run time of the collector's attached programs (its TCX links' programs). */
    ProgramRunTime runTime() {
        return ProgramRunTime.ofAttachedPrograms(child.pid());
    }

    /** Warnings the collector printed about lost records (ring full, publish errors). */
    long warnings() {
        return child.tail(10_000).stream().filter(l -> l.startsWith("headerlog: warning:")).count();
    }

    /** SIGTERM, wait for the final accounting; the collector drains and flushes before it prints it. */
    CollectorSummary stop() {
        if (summary == null) {
            child.stop(STOP_TIMEOUT);
            String line = child.lastLine(CollectorSummary::isSummary).orElseThrow(() -> new IllegalStateException(
                    spec.label() + " printed no summary line when stopped; its last output: "
                            + String.join(" | ", child.tail(8))));
            summary = CollectorSummary.parse(line);
        }
        return summary;
    }

    @Override
    public void close() {
        child.close();
    }
}
