package io.headerlog.benchmarks.capture;

import io.headerlog.collector.bpf.KernelCounters;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The collector publishing to Kafka under a paced UDP flood, and tcpdump under the same flood: for
 * each offered rate, what each delivered, what it lost (by its own accounting and by the kernel's
 * interface counters and the broker's offsets), and the CPU it used.
 */
final class FloodPhase {
    /** How long the collector may take to deliver what was still in its ring when the flood stopped. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(20);
    private static final Duration STABLE = Duration.ofMillis(1_500);
    /**
     * Each rate gets a fresh collector (so its summary is that rate's exact accounting); a fresh JVM
     * runs interpreted code for its first tens of thousands of records, so it first gets this slower
     * flood, and the measurement starts once that has reached Kafka.
     */
    static final long WARMUP_RATE = 30_000;

    /**
     * The collector at one offered rate. The window is the measured flood and the draining after it,
     * cut out of the run by reading the collector's kernel counters and the topic's offsets at its
     * start; the summary covers the whole run, warm-up included.
     */
    record CollectorResult(
            UdpFlood.Result flood,
            long wirePackets,
            long windowKept,
            long windowRingFull,
            long windowRecords,
            double recordsPerSecondDuringFlood,
            double cpuPercentDuringFlood,
            double cpuSecondsIncludingDrain,
            ProgramRunTime kernel,
            double brokerCpuPercent,
            CollectorSummary summary,
            long recordsInKafka,
            long warnings,
            String busiestThreads) {

        /** Collector CPU per record of the measured flood, draining after it included. */
        double cpuMicrosPerRecord() {
            return windowRecords <= 0 ? Double.NaN : 1e6 * cpuSecondsIncludingDrain / windowRecords;
        }

        /** Records of the window in Kafka ÷ packets the kernel kept for a record meanwhile. */
        double completeness() {
            return Stats.ratio(windowRecords, windowKept);
        }

        /** Records of the window ÷ packets that crossed B's veth during the flood (comparable with tcpdump's). */
        double wireCompleteness() {
            return Stats.ratio(windowRecords, wirePackets);
        }

        /** Nothing lost in the window: no ring-full, decode or publish losses, and Kafka holds every kept packet. */
        boolean lossless() {
            return windowRingFull == 0 && summary.decodeErrors() == 0 && summary.publishErrors() == 0
                    && windowRecords == windowKept;
        }

        /**
         * The run's books balance: every packet the kernel kept is in Kafka or in a loss counter
         * (kept = published + counted losses), warm-up included.
         */
        boolean accounted() {
            return recordsInKafka + summary.lost() == summary.kept();
        }
    }

    /** tcpdump at one offered rate. */
    record TcpdumpResult(UdpFlood.Result flood, long wirePackets, TcpdumpRun.Stats stats, double cpuPercent, double cpuSeconds) {
        double completeness() {
            return Stats.ratio(stats.captured(), wirePackets);
        }

        double cpuMicrosPerPacket() {
            return stats.captured() <= 0 ? Double.NaN : 1e6 * cpuSeconds / stats.captured();
        }
    }

    private final BenchmarkConfig config;
    private final BenchHosts hosts;
    private final Endpoints kafka;
    private final KafkaProbe probe;
    private final UdpFlood flood;
    private final Progress progress;

    FloodPhase(BenchmarkConfig config, BenchHosts hosts, Endpoints kafka, KafkaProbe probe, UdpFlood flood, Progress progress) {
        this.config = config;
        this.hosts = hosts;
        this.kafka = kafka;
        this.probe = probe;
        this.flood = flood;
        this.progress = progress;
    }

    /** One collector run, every packet a record (sample rate 1 when the collector can be told so). */
    CollectorResult collector(long rate, String topic, OptionalInt sampleRate) {
        progress.step(String.format(Locale.ROOT, "collector → Kafka, UDP flood at %s pkt/s", Table.count(rate)));
        CollectorRun.Spec spec = CollectorRun.Spec.of(CollectorRun.Sink.KAFKA, sampleRate, OptionalInt.empty(), topic);
        try (CollectorRun run = CollectorRun.start(config, hosts, kafka, spec);
             CollectorCounters counters = CollectorCounters.of(run.pid())) {
            if (config.warmupSeconds() > 0) {
                flood.run(WARMUP_RATE, Duration.ofSeconds(config.warmupSeconds()));
                awaitStable(topic);
            }
            // the window starts here: warm-up drained, no traffic
            KernelCounters w0 = counters.read();
            long n0 = probe.records(topic);
            LinkCounters l0 = hosts.countersB();
            ProcessCpu c0 = run.cpu();
            ThreadCpu t0 = ThreadCpu.of(run.pid());
            Optional<ProcessCpu> b0 = kafka.brokerPid().map(ProcessCpu::of);
            ProgramRunTime k0;
            ProgramRunTime k1;
            UdpFlood.Result sent;
            // run-time statistics on for the kernel ns/packet; a paced flood's figures do not depend on
            // their ~150 ns per program run (ThroughputPhase keeps them off for its throughput runs)
            try (BpfRunStats stats = BpfRunStats.enable()) {
                k0 = run.runTime();
                sent = flood.run(rate, Duration.ofSeconds(config.floodSeconds()));
                k1 = run.runTime();
            }
            long n1 = probe.records(topic);
            ProcessCpu c1 = run.cpu();
            ThreadCpu t1 = ThreadCpu.of(run.pid());
            LinkCounters l1 = hosts.countersB();
            Optional<ProcessCpu> b1 = kafka.brokerPid().map(ProcessCpu::of);
            awaitStable(topic);
            ProcessCpu c2 = run.cpu();
            counters.close();
            // ...and ends with the run: the summary counts every packet until the links were detached
            CollectorSummary summary = run.stop();
            long total = probe.records(topic);
            double brokerCpu = b0.isPresent() && b1.isPresent() ? b1.get().percentSince(b0.get()) : Double.NaN;
            CollectorResult r = new CollectorResult(sent, l1.minus(l0).packets(), summary.kept() - w0.kept(),
                    summary.ringFull() - w0.ringbufFull(), total - n0, (n1 - n0) / sent.seconds(), c1.percentSince(c0),
                    c2.secondsSince(c0), k1.minus(k0), brokerCpu, summary, total, run.warnings(),
                    t1.topSince(t0, sent.seconds(), 4));
            progress.done(String.format(Locale.ROOT, "sent %.0f pkt/s; window: %d records in Kafka of %d kept, ring full %d;"
                    + " run: publish errors %d", sent.sentPerSecond(), r.windowRecords(), r.windowKept(), r.windowRingFull(),
                    summary.publishErrors()));
            return r;
        }
    }

    /** tcpdump -w /dev/null -s 256 on B's veth under the same flood. */
    TcpdumpResult tcpdump(long rate) {
        progress.step(String.format(Locale.ROOT, "tcpdump, UDP flood at %s pkt/s", Table.count(rate)));
        try (TcpdumpRun run = TcpdumpRun.start(hosts)) {
            LinkCounters l0 = hosts.countersB();
            ProcessCpu c0 = run.cpu();
            UdpFlood.Result sent = flood.run(rate, Duration.ofSeconds(config.floodSeconds()));
            // tcpdump reads its ring a moment behind the flood; give it that moment before counting
            sleep(Duration.ofMillis(500));
            ProcessCpu c1 = run.cpu();
            LinkCounters l1 = hosts.countersB();
            TcpdumpRun.Stats stats = run.stop();
            TcpdumpResult r = new TcpdumpResult(sent, l1.minus(l0).packets(), stats, c1.percentSince(c0), c1.secondsSince(c0));
            progress.done(String.format(Locale.ROOT, "sent %.0f pkt/s; captured %d, dropped by kernel %d",
                    sent.sentPerSecond(), stats.captured(), stats.droppedByKernel()));
            return r;
        }
    }

    /** Waits until the topic stops growing: the collector has delivered what its ring still held. */
    private void awaitStable(String topic) {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        long last = probe.records(topic);
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(250));
            long now = probe.records(topic);
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= STABLE.toNanos()) {
                return;
            }
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
}
