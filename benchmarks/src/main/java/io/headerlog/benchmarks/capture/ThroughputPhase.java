package io.headerlog.benchmarks.capture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Host throughput with each attachment on B's veth end: iperf3 TCP runs (A → B) and one unpaced
 * iperf3 UDP run of small datagrams, with the kernel run time of the attached programs and the CPU of
 * the collector over the same runs.
 */
final class ThroughputPhase {

    /** The figures of one attachment. */
    record Result(
            String label,
            boolean baseline,
            List<Double> tcpGbps,
            ProgramRunTime tcpKernel,
            double tcpCollectorCpu,
            Optional<Iperf.UdpRun> udp,
            ProgramRunTime udpKernel,
            double udpCollectorCpu,
            Optional<CollectorSummary> summary,
            OptionalLong kafkaRecords,
            String busiestThreads) {

        double medianGbps() {
            return Stats.median(tcpGbps);
        }
    }

    private final BenchmarkConfig config;
    private final Iperf iperf;
    private final UdpFlood warmup;
    private final Progress progress;

    ThroughputPhase(BenchmarkConfig config, Iperf iperf, UdpFlood warmup, Progress progress) {
        this.config = config;
        this.iperf = iperf;
        this.warmup = warmup;
        this.progress = progress;
    }

    /**
     * Attaches with {@code attach}, measures, detaches. {@code kafkaTopic} and {@code probe} count what a
     * Kafka-sink collector delivered.
     */
    Result measure(Supplier<Attachment> attach, Optional<String> kafkaTopic, Optional<KafkaProbe> probe) {
        try (Attachment a = attach.get()) {
            progress.step("throughput: " + a.label());
            if (a instanceof Attachment.Collector && config.warmupSeconds() > 0) {
                // measure a collector in its steady state, not a fresh JVM compiling its hot paths:
                // UDP records first, then one TCP run (not counted) for the TCP paths
                warmup.run(FloodPhase.WARMUP_RATE, Duration.ofSeconds(config.warmupSeconds()));
                iperf.tcp(config.tcpSeconds());
                sleep(Duration.ofSeconds(1));
            }
            List<Double> gbps = new ArrayList<>();
            ProgramRunTime k0 = a.runTime();
            Optional<ProcessCpu> c0 = a.cpu();
            Optional<ThreadCpu> t0 = a.threads();
            long tcpStart = System.nanoTime();
            for (int i = 0; i < config.tcpRuns(); i++) {
                gbps.add(iperf.tcp(config.tcpSeconds()).gbitPerSecond());
            }
            ProgramRunTime k1 = a.runTime();
            Optional<ProcessCpu> c1 = a.cpu();
            Optional<ThreadCpu> t1 = a.threads();
            double tcpSeconds = (System.nanoTime() - tcpStart) / 1e9;
            Optional<Iperf.UdpRun> udp = Optional.empty();
            if (config.udpMaxSeconds() > 0) {
                udp = Optional.of(iperf.udp(config.udpMaxSeconds(), config.floodPayload(), 0));
            }
            ProgramRunTime k2 = a.runTime();
            Optional<ProcessCpu> c2 = a.cpu();
            Optional<CollectorSummary> summary = a.detach();
            OptionalLong records = OptionalLong.empty();
            if (kafkaTopic.isPresent() && probe.isPresent()) {
                records = OptionalLong.of(probe.get().records(kafkaTopic.get()));
            }
            Result r = new Result(a.label(), a instanceof Attachment.Nothing, gbps, k1.minus(k0), cpuPercent(c0, c1), udp, k2.minus(k1), cpuPercent(c1, c2),
                    summary, records, t0.isPresent() && t1.isPresent() ? t1.get().topSince(t0.get(), tcpSeconds, 4) : "");
            progress.done(String.format(java.util.Locale.ROOT, "TCP median %.2f Gbit/s%s", r.medianGbps(),
                    udp.map(u -> String.format(java.util.Locale.ROOT, ", UDP %.0f pkt/s sent", u.sentPerSecond())).orElse("")));
            return r;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double cpuPercent(Optional<ProcessCpu> from, Optional<ProcessCpu> to) {
        return from.isPresent() && to.isPresent() ? to.get().percentSince(from.get()) : Double.NaN;
    }
}
