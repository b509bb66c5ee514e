package io.headerlog.benchmarks.capture;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns the measured figures into the tables and the closing lines (ratios first). */
final class Report {
    /** The targets. */
    static final double TCP_RATIO_TARGET = 0.97;
    static final double LOSSLESS_TARGET = 100_000;

    private final BenchmarkConfig config;
    private final PrintStream out;

    Report(BenchmarkConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    void header(MachineInfo machine, String loadBefore, CollectorFeatures features, String kafka) {
        out.println("headerlog capture benchmark (" + config.mode() + ")");
        out.println("machine:  " + machine.describe());
        out.println("load average before start: " + loadBefore + " (1/5/15 min; anything else running skews every figure)");
        out.println("collector: " + config.collectorJar() + (features.sampleRateFlag()
                ? ", --sample-rate supported" + features.defaultSampleRate().stream().mapToObj(d -> " (default " + d + ")")
                        .findFirst().orElse("")
                : ", no --sample-rate flag: every packet is a record"));
        out.println("kafka:    " + kafka);
        out.println("hosts:    namespaces A → B joined by two veth pairs; programs attached to B's end of one (TCX ingress+egress),"
                + " the other a reference that nothing watches");
        if (BpfRunStats.onSystemWide()) {
            out.println("WARNING:  kernel.bpf_stats_enabled=1 was set before the benchmark: every program run also pays the"
                    + " statistics' clock reads, so the throughput ratios are lower than a host without it would see");
        }
    }

    void throughput(List<ThroughputPhase.Result> results) {
        Table t = new Table(String.format(Locale.ROOT,
                "1. Host throughput, A → B (iperf3 TCP: %d × %d s, median, each run paired with one over the reference pair;"
                        + " UDP %d-byte datagrams unpaced for %d s)",
                config.tcpRuns(), config.tcpSeconds(), config.floodPayload(), config.udpMaxSeconds()),
                "attached to B", "TCP Gbit/s", "min-max", "paired ratio", "ratio", "kernel ns/pkt", "UDP pkt/s", "ratio",
                "kernel ns/pkt", "collector CPU", "kept", "lost", "delivered", "complete", "accounted");
        for (int i = 0; i < results.size(); i++) {
            ThroughputPhase.Result r = results.get(i);
            double baseUdp = localBaseline(results, i, Report::udpRate);
            Optional<CollectorSummary> s = r.summary();
            long delivered = r.kafkaRecords().orElse(s.map(CollectorSummary::published).orElse(-1L));
            t.row(r.label(),
                    Table.fixed(r.medianGbps(), 2),
                    Table.fixed(Stats.min(r.tcpGbps()), 2) + "-" + Table.fixed(Stats.max(r.tcpGbps()), 2),
                    Table.ratio(r.pairedRatio()),
                    Table.ratio(bracketedRatio(results, i)),
                    Table.fixed(r.tcpKernel().nsPerRun(), 0),
                    r.udp().map(u -> Table.count(u.sentPerSecond())).orElse("-"),
                    r.udp().map(u -> Table.ratio(Stats.ratio(u.sentPerSecond(), baseUdp))).orElse("-"),
                    Table.fixed(r.udpKernel().nsPerRun(), 0),
                    s.isPresent() ? Table.percent(r.tcpCollectorCpu()) + "/" + Table.percent(r.udpCollectorCpu()) : "-",
                    s.map(x -> Table.count(x.kept())).orElse("-"),
                    s.map(x -> Table.exact(x.lost())).orElse("-"),
                    s.isPresent() ? Table.count(delivered) : "-",
                    s.map(x -> Table.ratio(Stats.ratio(delivered, x.kept()))).orElse("-"),
                    s.map(x -> delivered + x.lost() == x.kept() ? "yes" : "NO").orElse("-"));
        }
        t.note("collectors are warmed up first (" + config.warmupSeconds() + " s of UDP records, then uncounted TCP runs until"
                + " the JIT compilers use < " + ThroughputPhase.JIT_QUIET_PERCENT + "% of a core in one, at most "
                + config.jitSettleSeconds() + " s): the figures are a running collector's, not a JVM compiling its hot paths.");
        t.note("paired ratio: median over the runs of (run ÷ the reference-pair run next to it in time, ABBA order); cancels the"
                + " machine's drift (up to 20 % within a minute here). 'no program' rows show how alike the two pairs are (≈ 1.000)."
                + " A collector's idle cost (polls, flow and stats exports: ~0.5 % of a core) falls on both runs of a pair and is left"
                + " out of it; the bracketed ratio includes it.");
        t.note("ratio: to the median of the 'no program' runs just before and after it (a baseline brackets every attachment);"
                + " a 'no program' row to all of them. kernel ns/pkt: BPF run time ÷ runs (one run per packet and hook; TCP"
                + " packets are GSO/GRO super-packets), over one more TCP and UDP run with the kernel's run-time statistics on;"
                + " the throughput runs have them off. The figure includes the statistics' own two clock reads per run (the"
                + " count-only row is that floor, mostly).");
        for (ThroughputPhase.Result r : results) {
            r.jit().ifPresent(j -> t.note(String.format(Locale.ROOT, "%s: JIT %s after %.0f s of uncounted TCP runs"
                    + " (compilers %.1f%% of a core in the last)", r.label(), j.quiet() ? "quiet" : "STILL BUSY (limit reached)",
                    j.seconds(), j.lastCompilerPercent())));
            if (!r.busiestThreads().isEmpty()) {
                t.note(r.label() + " threads during the TCP runs (% of one core): " + r.busiestThreads());
            }
        }
        t.note("collector CPU: % of one core during the TCP runs / the UDP run. kept: packets the kernel kept for a record;"
                + " lost: ring full + decode + publish errors; delivered: records in Kafka (stdout sink: published);"
                + " accounted: delivered + lost = kept.");
        t.print(out);
    }

    void flood(List<FloodPhase.CollectorResult> collector, List<FloodPhase.TcpdumpResult> tcpdump) {
        Table t = new Table(String.format(Locale.ROOT,
                "2. Collector → Kafka under a paced UDP flood (%d-byte payload, %d s per rate, every packet a record)",
                config.floodPayload(), config.floodSeconds()),
                "offered pkt/s", "sent pkt/s", "wire pkts", "kept", "in Kafka", "records/s", "ring full", "publish err",
                "warned", "complete", "collector CPU", "CPU µs/rec", "kernel ns/pkt", "broker CPU", "lossless", "accounted");
        for (FloodPhase.CollectorResult r : collector) {
            t.row(Table.count(r.flood().targetPerSecond()), Table.count(r.flood().sentPerSecond()), Table.exact(r.wirePackets()),
                    Table.exact(r.windowKept()), Table.exact(r.windowRecords()), Table.count(r.recordsPerSecondDuringFlood()),
                    Table.exact(r.windowRingFull()), Table.exact(r.summary().publishErrors()),
                    r.summary().lost() == 0 ? "-" : r.warnings() > 0 ? "yes" : "NO", Table.ratio(r.completeness()),
                    Table.percent(r.cpuPercentDuringFlood()), Table.fixed(r.cpuMicrosPerRecord(), 2),
                    Table.fixed(r.kernel().nsPerRun(), 0), Table.percent(r.brokerCpuPercent()), r.lossless() ? "yes" : "NO",
                    r.accounted() ? "yes" : "NO");
        }
        t.note("Each rate runs a fresh collector, first warmed up (JIT) by " + config.warmupSeconds() + " s at "
                + Table.count(FloodPhase.WARMUP_RATE) + " pkt/s; the measurement window starts when that has reached Kafka"
                + " and ends when the collector stops after the flood.");
        t.note("wire pkts: B's veth rx+tx during the flood (kernel interface counters). kept, in Kafka, ring full, complete"
                + " (in Kafka ÷ kept), lossless: the window, from the collector's kernel counters and the topic's offsets.");
        t.note("records/s: growth of the topic during the flood. CPU µs/rec includes the draining after the flood."
                + " publish err: whole run. warned: the collector logged a warning for its losses.");
        t.note("accounted: over the whole run, records in Kafka + ring full + decode and publish errors = packets kept.");
        for (FloodPhase.CollectorResult r : collector) {
            t.note("collector threads at " + Table.count(r.flood().targetPerSecond()) + " pkt/s (% of one core): "
                    + r.busiestThreads());
        }
        t.print(out);
        if (tcpdump.isEmpty()) {
            return;
        }
        Table d = new Table("3. tcpdump -i IF -w /dev/null -s " + TcpdumpRun.SNAPLEN + " vs the collector on the same floods",
                "offered pkt/s", "tcpdump sent pkt/s", "captured", "dropped", "complete", "CPU", "CPU µs/pkt",
                "collector sent pkt/s", "complete", "CPU", "CPU µs/rec", "µs ratio collector/tcpdump");
        for (FloodPhase.TcpdumpResult r : tcpdump) {
            Optional<FloodPhase.CollectorResult> c = collector.stream()
                    .filter(x -> x.flood().targetPerSecond() == r.flood().targetPerSecond()).findFirst();
            d.row(Table.count(r.flood().targetPerSecond()), Table.count(r.flood().sentPerSecond()),
                    Table.exact(r.stats().captured()), Table.exact(r.stats().droppedByKernel()), Table.ratio(r.completeness()),
                    Table.percent(r.cpuPercent()), Table.fixed(r.cpuMicrosPerPacket(), 2),
                    c.map(x -> Table.count(x.flood().sentPerSecond())).orElse("-"),
                    c.map(x -> Table.ratio(x.wireCompleteness())).orElse("-"),
                    c.map(x -> Table.percent(x.cpuPercentDuringFlood())).orElse("-"),
                    c.map(x -> Table.fixed(x.cpuMicrosPerRecord(), 2)).orElse("-"),
                    c.map(x -> Table.fixed(Stats.ratio(x.cpuMicrosPerRecord(), r.cpuMicrosPerPacket()), 1)).orElse("-"));
        }
        d.note("complete: captured ÷ packets on B's veth (tcpdump); records of the measured flood in Kafka ÷ packets on B's"
                + " veth (collector). CPU: % of one core during the flood. tcpdump writes raw packets to /dev/null; the"
                + " collector decodes every packet to Avro and publishes it to Kafka. The sender shares the 2 cores with"
                + " both, so a busier capture tool also lowers the rate it is offered.");
        d.print(out);
    }

    void producerPerf(KafkaProbe.RecordSize size, ProducerPerf.Result pp, List<FloodPhase.CollectorResult> flood) {
        double lossless = highestLossless(flood);
        double anyRate = flood.stream().mapToDouble(FloodPhase.CollectorResult::recordsPerSecondDuringFlood).max().orElse(Double.NaN);
        Table t = new Table("4. Kafka's ProducerPerformance on the same broker, same producer settings, record size "
                + pp.recordBytes() + " bytes", "producer", "records/s", "MB/s", "ratio to ProducerPerformance");
        t.row("ProducerPerformance (" + Table.count(pp.records()) + " records)", Table.count(pp.recordsPerSecond()),
                Table.fixed(pp.megabytesPerSecond(), 1), "1.000");
        t.row("collector, highest lossless rate", Table.count(lossless), Table.fixed(lossless * pp.recordBytes() / 1e6 / 1.048576, 1),
                Table.ratio(Stats.ratio(lossless, pp.recordsPerSecond())));
        t.row("collector, highest rate reached", Table.count(anyRate), Table.fixed(anyRate * pp.recordBytes() / 1e6 / 1.048576, 1),
                Table.ratio(Stats.ratio(anyRate, pp.recordsPerSecond())));
        t.note(String.format(Locale.ROOT, "record size: mean key %.1f + value %.1f bytes of %d PacketHeader records the"
                + " collector published (value = Confluent wire format). ProducerPerformance sends random values, no key.",
                size.keyBytes(), size.valueBytes(), size.records()));
        t.note("the collector's rate is bounded by the offered flood (one sender thread on this machine), not only by the collector.");
        t.print(out);
    }

    void closing(List<ThroughputPhase.Result> throughput, List<FloodPhase.CollectorResult> flood,
            Optional<ProducerPerf.Result> pp, String loadAfter) {
        out.println();
        out.println("Closing figures");
        for (int i = 0; i < throughput.size(); i++) {
            ThroughputPhase.Result r = throughput.get(i);
            if (r.summary().isPresent()) {
                double ratio = r.pairedRatio();
                double[] interval = Stats.medianInterval(r.pairRatios(), 0.9, 2000, 1);
                double bracketed = bracketedRatio(throughput, i);
                out.printf(Locale.ROOT, "  TCP throughput with %-34s %s of the unmonitored pair (90%% interval %s-%s; %s of the"
                        + " bracketing baselines)%s%n", r.label() + ":", Table.ratio(ratio), Table.ratio(interval[0]),
                        Table.ratio(interval[1]), Table.ratio(bracketed),
                        r.label().contains("(default)") || r.label().contains("(no sampling)") ? verdict(interval) : "");
            }
        }
        DoubleSummaryStatistics noise = throughput.stream().filter(ThroughputPhase.Result::baseline)
                .mapToDouble(ThroughputPhase.Result::pairedRatio).summaryStatistics();
        if (noise.getCount() > 1) {
            // what the paired ratio reads when both pairs are alike: a ratio closer than this to its
            // target is not decided by one run of the benchmark
            out.printf(Locale.ROOT, "  resolution: the 'no program' rows (the two pairs alike) read %s-%s; a ratio that close to"
                    + " its target is within this machine's noise%n", Table.ratio(noise.getMin()), Table.ratio(noise.getMax()));
        }
        double lossless = highestLossless(flood);
        long runs = throughput.stream().filter(r -> r.summary().isPresent()).count() + flood.size();
        long balanced = throughput.stream().filter(r -> r.summary().isPresent()).filter(r -> {
            CollectorSummary s = r.summary().get();
            return r.kafkaRecords().orElse(s.published()) + s.lost() == s.kept();
        }).count() + flood.stream().filter(FloodPhase.CollectorResult::accounted).count();
        out.printf(Locale.ROOT, "  exact accounting (kept = delivered + counted losses) held in %d of %d collector runs%n",
                balanced, runs);
        out.printf(Locale.ROOT, "  highest lossless rate to Kafka: %s records/s%s%n", Table.count(lossless),
                lossless >= LOSSLESS_TARGET ? "  [target ≥ 100k met]" : "  [target ≥ 100k NOT met]");
        pp.ifPresent(p -> out.printf(Locale.ROOT, "  ProducerPerformance: %s records/s → collector/ProducerPerformance = %s%n",
                Table.count(p.recordsPerSecond()), Table.ratio(Stats.ratio(lossless, p.recordsPerSecond()))));
        out.println("  load average at the end: " + loadAfter);
    }

    /**
     * Met only when the whole bootstrap interval of the paired ratio clears the target, NOT met when it
     * lies below it; an interval that spans the target is undecided by this run (more --tcp-runs narrow it).
     */
    static String verdict(double[] interval) {
        String target = "  [target ≥ " + TCP_RATIO_TARGET;
        if (interval[0] >= TCP_RATIO_TARGET) {
            return target + " met]";
        }
        if (interval[1] < TCP_RATIO_TARGET) {
            return target + " NOT met]";
        }
        return target + " undecided: the interval spans it]";
    }

    static double highestLossless(List<FloodPhase.CollectorResult> flood) {
        return flood.stream().filter(FloodPhase.CollectorResult::lossless)
                .mapToDouble(FloodPhase.CollectorResult::recordsPerSecondDuringFlood).max().orElse(0);
    }

    /**
     * The baseline for result {@code i}: the median of {@code values} of the nearest 'no program' run
     * before it and the nearest after it (either may be missing); for a 'no program' row, of all of them.
     */
    /** Median TCP throughput of result {@code i} over that of the baselines next to it (see {@link #localBaseline}). */
    static double bracketedRatio(List<ThroughputPhase.Result> results, int i) {
        return Stats.ratio(results.get(i).medianGbps(), localBaseline(results, i, ThroughputPhase.Result::tcpGbps));
    }

    static double localBaseline(List<ThroughputPhase.Result> results, int i,
            java.util.function.Function<ThroughputPhase.Result, List<Double>> values) {
        List<Double> all = new ArrayList<>();
        if (results.get(i).baseline()) {
            results.stream().filter(ThroughputPhase.Result::baseline).forEach(r -> all.addAll(values.apply(r)));
            return Stats.median(all);
        }
        for (int j = i - 1; j >= 0; j--) {
            if (results.get(j).baseline()) {
                all.addAll(values.apply(results.get(j)));
                break;
            }
        }
        for (int j = i + 1; j < results.size(); j++) {
            if (results.get(j).baseline()) {
                all.addAll(values.apply(results.get(j)));
                break;
            }
        }
        return Stats.median(all);
    }

    private static List<Double> udpRate(ThroughputPhase.Result r) {
        return r.udp().map(u -> List.of(u.sentPerSecond())).orElse(List.of());
    }
}
