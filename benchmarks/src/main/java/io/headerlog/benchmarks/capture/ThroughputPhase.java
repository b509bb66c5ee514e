package io.headerlog.benchmarks.capture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Host throughput with each attachment on B's veth end: iperf3 TCP runs (A → B), each paired with a
 * run over the reference veth pair that nothing watches (alternating which goes first), and one
 * unpaced iperf3 UDP run of small datagrams, with the CPU of the collector over the same runs; then the
 * kernel run time of the attached programs, over one more TCP and UDP run with run-time statistics on.
 *
 * <p>Why pairs: this machine's throughput drifts by up to 20 % within a minute, more than the few per
 * cent a collector costs, so baselines taken before and after an attachment can differ from each other
 * by more than what is measured. A reference run seconds away on the same hosts and processes sees the
 * same drift; the median of the per-pair ratios cancels it.
 */
final class ThroughputPhase {

    /** The figures of one attachment. */
    record Result(
            String label,
            boolean baseline,
            List<Double> tcpGbps,
            List<Double> referenceGbps,
            ProgramRunTime tcpKernel,
            double tcpCollectorCpu,
            Optional<Iperf.UdpRun> udp,
            ProgramRunTime udpKernel,
            double udpCollectorCpu,
            Optional<CollectorSummary> summary,
            OptionalLong kafkaRecords,
            String busiestThreads,
            Optional<JitSettling> jit) {

        double medianGbps() {
            return Stats.median(tcpGbps);
        }

        /** Median over the TCP runs of (monitored ÷ its reference run): the throughput ratio drift cannot skew. */
        double pairedRatio() {
            return Stats.median(pairRatios());
        }

        /** Each TCP run ÷ the reference run paired with it. */
        List<Double> pairRatios() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(tcpGbps.size(), referenceGbps.size()); i++) {
                ratios.add(Stats.ratio(tcpGbps.get(i), referenceGbps.get(i)));
            }
            return ratios;
        }
    }

    /** Compiler threads below this (per cent of one core over one TCP run) count as quiet. */
    static final double JIT_QUIET_PERCENT = 0.5;

    /**
     * The uncounted TCP runs before a collector is measured: how long they took and what its compiler
     * threads used in the last one (below {@link #JIT_QUIET_PERCENT} unless the limit cut it short).
     */
    record JitSettling(double seconds, double lastCompilerPercent) {
        boolean quiet() {
            return lastCompilerPercent < JIT_QUIET_PERCENT;
        }
    }

    private final BenchmarkConfig config;
    private final Iperf iperf;
    private final Iperf reference;
    private final UdpFlood warmup;
    private final Progress progress;

    ThroughputPhase(BenchmarkConfig config, Iperf iperf, Iperf reference, UdpFlood warmup, Progress progress) {
        this.config = config;
        this.iperf = iperf;
        this.reference = reference;
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
            Optional<JitSettling> jit = Optional.empty();
            if (a instanceof Attachment.Collector c && config.warmupSeconds() > 0) {
                // measure a collector in its steady state, not a fresh JVM compiling its hot paths:
                // UDP records first (every record path at a high rate), then TCP runs (not counted)
                // until the JIT compilers are quiet
                warmup.run(FloodPhase.WARMUP_RATE, Duration.ofSeconds(config.warmupSeconds()));
                jit = Optional.of(settleJit(c.run().pid()));
                progress.step(String.format(java.util.Locale.ROOT, "  JIT %s after %.0f s of TCP (compilers %.1f%% of a core)",
                        jit.get().quiet() ? "quiet" : "still busy", jit.get().seconds(), jit.get().lastCompilerPercent()));
                sleep(Duration.ofSeconds(1));
            }
            List<Double> gbps = new ArrayList<>();
            List<Double> ref = new ArrayList<>();
            // the collector's CPU and threads over the monitored runs only (summed per run): during the
            // reference runs it has no records, and those seconds would dilute or inflate the figures
            double monitoredSeconds = 0;
            double cpuSeconds = 0;
            ThreadCpu threads = ThreadCpu.NONE;
            for (int i = 0; i < config.tcpRuns(); i++) {
                // ABBA order: neither side always runs right after the other one
                if (i % 2 == 1) {
                    ref.add(reference.tcp(config.tcpSeconds()).gbitPerSecond());
                }
                Optional<ProcessCpu> c0 = a.cpu();
                Optional<ThreadCpu> t0 = a.threads();
                long runStart = System.nanoTime();
                gbps.add(iperf.tcp(config.tcpSeconds()).gbitPerSecond());
                monitoredSeconds += (System.nanoTime() - runStart) / 1e9;
                Optional<ProcessCpu> c1 = a.cpu();
                Optional<ThreadCpu> t1 = a.threads();
                if (c0.isPresent() && c1.isPresent()) {
                    cpuSeconds += c1.get().secondsSince(c0.get());
                }
                if (t0.isPresent() && t1.isPresent()) {
                    threads = threads.plus(t1.get(), t0.get());
                }
                if (i % 2 == 0) {
                    ref.add(reference.tcp(config.tcpSeconds()).gbitPerSecond());
                }
            }
            Optional<ProcessCpu> c1 = a.cpu();
            Optional<Iperf.UdpRun> udp = Optional.empty();
            if (config.udpMaxSeconds() > 0) {
                udp = Optional.of(iperf.udp(config.udpMaxSeconds(), config.floodPayload(), 0));
            }
            Optional<ProcessCpu> c2 = a.cpu();
            KernelCost kernel = a instanceof Attachment.Nothing ? KernelCost.NONE : kernelCost(a);
            Optional<CollectorSummary> summary = a.detach();
            OptionalLong records = OptionalLong.empty();
            if (kafkaTopic.isPresent() && probe.isPresent()) {
                records = OptionalLong.of(probe.get().records(kafkaTopic.get()));
            }
            boolean process = c1.isPresent();
            Result r = new Result(a.label(), a instanceof Attachment.Nothing, gbps, ref, kernel.tcp(),
                    process ? 100.0 * cpuSeconds / monitoredSeconds : Double.NaN, udp, kernel.udp(), cpuPercent(c1, c2),
                    summary, records, process ? threads.topSince(ThreadCpu.NONE, monitoredSeconds, 4) : "", jit);
            progress.done(String.format(java.util.Locale.ROOT, "TCP median %.2f Gbit/s, reference %.2f, paired ratio %.3f%s",
                    r.medianGbps(), Stats.median(ref), r.pairedRatio(),
                    udp.map(u -> String.format(java.util.Locale.ROOT, ", UDP %.0f pkt/s sent", u.sentPerSecond())).orElse("")));
            return r;
        }
    }

    /** The attached programs' run time over one TCP run and one UDP run (when configured). */
    private record KernelCost(ProgramRunTime tcp, ProgramRunTime udp) {
        static final KernelCost NONE = new KernelCost(ProgramRunTime.NONE, ProgramRunTime.NONE);
    }

    /**
     * Kernel run time per packet, from runs of their own with the kernel's run-time statistics on. The
     * throughput runs above have them off: the statistics read the clock twice per program run, which costs
     * ~150 ns here (a KVM guest's kvm-clock), as much as a quarter of the capture program itself, and no
     * production host pays it.
     */
    private KernelCost kernelCost(Attachment a) {
        try (BpfRunStats stats = BpfRunStats.enable()) {
            ProgramRunTime k0 = a.runTime();
            iperf.tcp(config.tcpSeconds());
            ProgramRunTime k1 = a.runTime();
            if (config.udpMaxSeconds() > 0) {
                iperf.udp(config.udpMaxSeconds(), config.floodPayload(), 0);
            }
            return new KernelCost(k1.minus(k0), a.runTime().minus(k1));
        }
    }

    /** Uncounted TCP runs until the compiler threads of {@code pid} are quiet in one, or the time limit passes. */
    private JitSettling settleJit(long pid) {
        long start = System.nanoTime();
        long runStart = start;
        JitActivity before = JitActivity.of(pid);
        double compilers;
        do {
            iperf.tcp(config.tcpSeconds());
            JitActivity after = JitActivity.of(pid);
            long now = System.nanoTime();
            compilers = after.percentSince(before, (now - runStart) / 1e9);
            before = after;
            runStart = now;
        } while (compilers >= JIT_QUIET_PERCENT && System.nanoTime() - start < config.jitSettleSeconds() * 1_000_000_000L);
        return new JitSettling((System.nanoTime() - start) / 1e9, compilers);
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
