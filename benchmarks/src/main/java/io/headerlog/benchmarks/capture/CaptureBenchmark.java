package io.headerlog.benchmarks.capture;

import io.headerlog.benchmarks.capture.CollectorRun.Sink;
import io.headerlog.collector.bpf.LibC;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The issue-4 capture benchmark: a program that prints figures, run on demand (never a test).
 *
 * <p>Two namespace hosts joined by a veth pair; on B's end, in turn: nothing, the count-only TC
 * program, and the collector jar at several sample rates. It measures host TCP throughput and UDP
 * packets/s with each (and the kernel ns/packet of each program from the BPF run-time statistics),
 * then the collector publishing to Kafka under paced UDP floods (records/s, losses, completeness,
 * CPU) next to tcpdump on the same floods, and Kafka's own ProducerPerformance on the same broker.
 * Everything it creates — namespaces, processes, BPF links, the local stack, temp dirs, topics on a
 * broker it did not start — is removed when it ends, also on failure or Ctrl-C.
 */
@Command(name = "CaptureBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures what capturing costs the host and how fast the collector delivers to Kafka.",
            "Needs root, iperf3, tcpdump and iproute2. Progress goes to stderr, the figures to stdout."},
        footer = {"", "Run from the repository root after `mvn -q -B -Dmaven.test.skip=true package -pl benchmarks -am`:",
            "  java -cp benchmarks/target/headerlog-benchmarks.jar io.headerlog.benchmarks.capture.CaptureBenchmark --quick"})
public final class CaptureBenchmark implements Callable<Integer> {

    @Option(names = "--quick", description = "About 2-3 minutes: 1 TCP run per attachment, 3 s floods, Kafka sink only (the default).")
    boolean quick;

    @Option(names = "--full", description = "About 8-10 minutes: 3 TCP runs of 5 s, 5 s floods up to 250k pkt/s, Kafka and stdout sinks.")
    boolean full;

    @Option(names = "--tcp-runs", paramLabel = "N", description = "iperf3 TCP runs per attachment, each paired with"
            + " a run on the unwatched reference pair (1..100; more runs narrow the ratio's interval).")
    Integer tcpRuns;

    @Option(names = "--tcp-seconds", paramLabel = "S", description = "Length of each TCP run.")
    Integer tcpSeconds;

    @Option(names = "--udp-max-seconds", paramLabel = "S", description = "Unpaced UDP run per attachment; 0 skips it.")
    Integer udpMaxSeconds;

    @Option(names = "--flood-rates", paramLabel = "PPS", split = ",", description = "Offered UDP packets/s for the Kafka and tcpdump phases.")
    List<Long> floodRates;

    @Option(names = "--flood-seconds", paramLabel = "S", description = "Length of each paced flood.")
    Integer floodSeconds;

    @Option(names = "--warmup-seconds", paramLabel = "S",
            description = "Flood at " + FloodPhase.WARMUP_RATE + " pkt/s that warms each collector JVM up before it is measured; 0 skips it.")
    Integer warmupSeconds;

    @Option(names = "--jit-settle-seconds", paramLabel = "S",
            description = "After that flood, uncounted TCP runs until the collector's JIT compilers use under 0.5% of a core in one,"
                    + " for at most this long (at least one run): the figures are a running collector's steady state.")
    Integer jitSettleSeconds;

    @Option(names = "--flood-payload", paramLabel = "BYTES", defaultValue = "64", description = "UDP payload bytes. Default: ${DEFAULT-VALUE}.")
    int floodPayload;

    @Option(names = "--sample-rates", paramLabel = "N", split = ",", defaultValue = "1,10,100",
            description = "Collector --sample-rate values for the throughput phase (when the collector has the flag). Default: ${DEFAULT-VALUE}.")
    List<Integer> sampleRates;

    @Option(names = "--sinks", paramLabel = "kafka|stdout", split = ",", description = "Collector sinks in the throughput phase.")
    List<String> sinks;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            description = "Use this broker instead of starting a local stack (needs --registry-url too).")
    String bootstrapServers;

    @Option(names = {"-r", "--registry-url"}, paramLabel = "URL", description = "Confluent-API schema registry of that broker.")
    String registryUrl;

    @Option(names = "--collector-jar", paramLabel = "JAR", defaultValue = "collector/target/headerlog-collector.jar",
            description = "The collector to measure. Default: ${DEFAULT-VALUE}.")
    Path collectorJar;

    @Option(names = "--collector-heap", paramLabel = "SIZE", defaultValue = "512m",
            description = "-Xmx of the collector (./headerlog collect uses 512m). Default: ${DEFAULT-VALUE}.")
    String collectorHeap;

    @Option(names = "--collector-arg", paramLabel = "ARG", description = "Extra collector argument, passed through (repeatable).")
    List<String> collectorArgs = new ArrayList<>();

    @Option(names = "--perf-records", paramLabel = "N", description = "Records ProducerPerformance sends.")
    Long perfRecords;

    @Option(names = "--no-tcpdump", description = "Skip the tcpdump comparison.")
    boolean noTcpdump;

    private final PrintStream out = System.out;
    private final Progress progress = new Progress(System.err);

    BenchmarkConfig toConfig() {
        if (quick && full) {
            throw new IllegalArgumentException("--quick and --full exclude each other");
        }
        if ((bootstrapServers == null) != (registryUrl == null)) {
            throw new IllegalArgumentException("give both --bootstrap-servers and --registry-url, or neither to start a local stack");
        }
        List<Sink> sinkList = new ArrayList<>();
        for (String s : sinks != null ? sinks : full ? List.of("kafka", "stdout") : List.of("kafka")) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "kafka" -> sinkList.add(Sink.KAFKA);
                case "stdout" -> sinkList.add(Sink.STDOUT);
                default -> throw new IllegalArgumentException("--sinks takes kafka and/or stdout, got '" + s + "'");
            }
        }
        return new BenchmarkConfig(full ? "full" : "quick",
                tcpRuns != null ? tcpRuns : full ? 3 : 1,
                tcpSeconds != null ? tcpSeconds : full ? 5 : 3,
                udpMaxSeconds != null ? udpMaxSeconds : full ? 5 : 2,
                floodRates != null ? floodRates : full ? List.of(50_000L, 100_000L, 150_000L, 200_000L, 250_000L)
                        : List.of(50_000L, 100_000L, 150_000L, 200_000L),
                floodSeconds != null ? floodSeconds : full ? 5 : 3,
                warmupSeconds != null ? warmupSeconds : full ? 5 : 3,
                jitSettleSeconds != null ? jitSettleSeconds : full ? 150 : 90,
                floodPayload,
                sampleRates,
                sinkList,
                bootstrapServers == null ? Optional.empty()
                        : Optional.of(new BenchmarkConfig.KafkaAddress(bootstrapServers, registryUrl)),
                collectorJar.toAbsolutePath().normalize(),
                collectorHeap,
                collectorArgs,
                perfRecords != null ? perfRecords : full ? 2_000_000L : 500_000L,
                !noTcpdump);
    }

    @Override
    public Integer call() throws Exception {
        BenchmarkConfig config;
        try {
            config = toConfig();
        } catch (IllegalArgumentException e) {
            System.err.println("headerlog-bench: error: " + e.getMessage());
            return 2;
        }
        if (LibC.INSTANCE.geteuid() != 0) {
            System.err.println("headerlog-bench: error: the benchmark creates network namespaces and loads BPF programs;"
                    + " run it as root");
            return 2;
        }
        for (String tool : List.of("ip", "iperf3", "tcpdump")) {
            if (!onPath(tool)) {
                System.err.println("headerlog-bench: error: " + tool + " is not installed; install it with `apt-get install "
                        + (tool.equals("ip") ? "iproute2" : tool) + "`");
                return 2;
            }
        }
        try {
            run(config);
            return 0;
        } catch (RuntimeException e) {
            System.err.println("headerlog-bench: error: " + e.getMessage());
            return 1;
        }
    }

    private void run(BenchmarkConfig config) {
        MachineInfo machine = MachineInfo.read();
        String loadBefore = MachineInfo.loadAverage();
        CollectorFeatures features = CollectorFeatures.probe(config.collectorJar());
        List<CollectorRun.Spec> collectors = collectorSpecs(config, features, runId());
        progress.step(String.format(Locale.ROOT, "%s mode: %d attachments, %d flood rates; up to about %d s", config.mode(),
                collectors.size() + 3, config.floodRates().size(),
                config.estimatedSeconds(2 * collectors.size() + 3, collectors.size(), config.kafka().isEmpty())));
        Report report = new Report(config, out);
        List<String> topics = new ArrayList<>();
        try (Endpoints kafka = startKafka(config);
             KafkaProbe probe = new KafkaProbe(kafka.bootstrapServers());
             BenchHosts hosts = BenchHosts.create();
             Iperf iperf = Iperf.startServer(hosts);
             Iperf reference = Iperf.startReferenceServer(hosts);
             UdpFlood flood = UdpFlood.open(hosts, config.floodPayload())) {
            try {
                report.header(machine, loadBefore, features, kafka.ownStack() ? "local stack started for this run at "
                        + kafka.bootstrapServers() + " (registry " + kafka.registryUrl() + ")" : kafka.bootstrapServers());
                List<ThroughputPhase.Result> throughput = throughput(config, hosts, kafka, probe, iperf, reference, flood, collectors,
                        topics);
                report.throughput(throughput);

                FloodPhase phase = new FloodPhase(config, hosts, kafka, probe, flood, progress);
                OptionalInt everyPacket = features.sampleRateFlag() ? OptionalInt.of(1) : OptionalInt.empty();
                List<FloodPhase.CollectorResult> collectorFloods = new ArrayList<>();
                List<FloodPhase.TcpdumpResult> tcpdumpFloods = new ArrayList<>();
                String biggest = null;
                for (long rate : config.floodRates()) {
                    String topic = "headers.bench-" + runId() + "-flood-" + rate;
                    topics.add(topic);
                    collectorFloods.add(phase.collector(rate, topic, everyPacket));
                    if (config.tcpdump()) {
                        tcpdumpFloods.add(phase.tcpdump(rate));
                    }
                    biggest = topic;
                }
                report.flood(collectorFloods, tcpdumpFloods);

                progress.step("ProducerPerformance");
                KafkaProbe.RecordSize size = probe.meanRecordSize(biggest, 20_000);
                String perfTopic = "headers.bench-" + runId() + "-perf";
                topics.add(perfTopic);
                probe.create(perfTopic);
                ProducerPerf.Result pp = ProducerPerf.run(kafka.bootstrapServers(), perfTopic, config.perfRecords(),
                        size.totalBytes(), Duration.ofMinutes(10));
                progress.done(Table.count(pp.recordsPerSecond()) + " records/s of " + size.totalBytes() + " bytes");
                report.producerPerf(size, pp, collectorFloods);
                report.closing(throughput, collectorFloods, Optional.of(pp), MachineInfo.loadAverage());
            } finally {
                if (!kafka.ownStack() && !topics.isEmpty()) {
                    probe.delete(topics);
                }
            }
        }
    }

    private List<ThroughputPhase.Result> throughput(BenchmarkConfig config, BenchHosts hosts, Endpoints kafka, KafkaProbe probe,
            Iperf iperf, Iperf reference, UdpFlood flood, List<CollectorRun.Spec> collectors, List<String> topics) {
        ThroughputPhase phase = new ThroughputPhase(config, iperf, reference, flood, progress);
        List<ThroughputPhase.Result> results = new ArrayList<>();
        // A baseline (nothing attached) before and after every attachment: this machine's throughput
        // drifts by several per cent over minutes, so each attachment is compared with the baselines
        // next to it in time (Report.localBaseline), not with one taken minutes apart.
        results.add(phase.measure(Attachment.Nothing::new, Optional.empty(), Optional.empty()));
        results.add(phase.measure(() -> new Attachment.CountOnly(CountOnlyProgram.attach(hosts.nsB(), hosts.ifindexB())),
                Optional.empty(), Optional.empty()));
        results.add(phase.measure(Attachment.Nothing::new, Optional.empty(), Optional.empty()));
        for (CollectorRun.Spec spec : collectors) {
            Supplier<Attachment> start = () -> new Attachment.Collector(CollectorRun.start(config, hosts, kafka, spec));
            boolean toKafka = spec.sink() == Sink.KAFKA;
            if (toKafka) {
                topics.add(spec.topic());
            }
            results.add(phase.measure(start, toKafka ? Optional.of(spec.topic()) : Optional.empty(),
                    toKafka ? Optional.of(probe) : Optional.empty()));
            results.add(phase.measure(Attachment.Nothing::new, Optional.empty(), Optional.empty()));
        }
        return results;
    }

    /** One collector per sink and sample rate; the collector's default rate too when it is not among them. */
    static List<CollectorRun.Spec> collectorSpecs(BenchmarkConfig config, CollectorFeatures features, String runId) {
        List<OptionalInt> rates = new ArrayList<>();
        if (features.sampleRateFlag()) {
            boolean defaultListed = features.defaultSampleRate().isPresent()
                    && config.sampleRates().contains(features.defaultSampleRate().getAsInt());
            if (!defaultListed) {
                rates.add(OptionalInt.empty());
            }
            config.sampleRates().forEach(n -> rates.add(OptionalInt.of(n)));
        } else {
            rates.add(OptionalInt.empty());
        }
        List<CollectorRun.Spec> specs = new ArrayList<>();
        for (Sink sink : config.sinks()) {
            for (OptionalInt rate : rates) {
                String topic = "headers.bench-" + runId + "-" + sink.flag() + "-" + (rate.isPresent() ? rate.getAsInt() : "default");
                CollectorRun.Spec spec = CollectorRun.Spec.of(sink, rate, features.defaultSampleRate(), topic);
                // the help's "Default: N" is the Kafka sink's; --sink stdout keeps every packet by default
                boolean isDefault = sink == Sink.KAFKA && rate.isPresent() && features.defaultSampleRate().equals(rate);
                specs.add(isDefault ? new CollectorRun.Spec(sink, rate, topic, spec.label() + " (default)") : spec);
            }
        }
        return specs;
    }

    private Endpoints startKafka(BenchmarkConfig config) {
        if (config.kafka().isPresent()) {
            return Endpoints.of(config.kafka().get());
        }
        progress.step("starting a local stack (Kafka + Apicurio) on free ports");
        return Endpoints.startLocalStack();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static final String RUN_ID = Long.toString(ProcessHandle.current().pid(), 36)
            + Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    private static String runId() {
        return RUN_ID;
    }

    public static void main(String[] args) {
        // the Kafka clients' retries while the local stack starts are expected; keep stderr for progress
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", System.getProperty(
                "org.slf4j.simpleLogger.log.org.apache.kafka", "error"));
        System.exit(new CommandLine(new CaptureBenchmark()).execute(args));
    }
}
