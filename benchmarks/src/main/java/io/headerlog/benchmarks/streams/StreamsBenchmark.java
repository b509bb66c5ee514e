package io.headerlog.benchmarks.streams;

import io.headerlog.benchmarks.capture.Endpoints;
import io.headerlog.benchmarks.capture.MachineInfo;
import io.headerlog.benchmarks.capture.Progress;
import io.headerlog.benchmarks.capture.Table;
import io.headerlog.benchmarks.streams.OutputCounter.Throughput;
import io.headerlog.benchmarks.streams.SyntheticTraffic.Sighting;
import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.GeneratedSchemas;
import io.headerlog.schema.PacketHeader;
import io.headerlog.streams.EnrichApp;
import io.headerlog.streams.EnrichCounters;
import io.headerlog.streams.StreamFunctions;
import io.headerlog.streams.StreamsAppConfig;
import io.headerlog.streams.flows.FlowWindowConfig;
import io.headerlog.tools.stack.SharedStack;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The issue-6 streams benchmark: a program that prints figures, run on demand (never a test).
 *
 * <p>A bounded synthetic input — TCP connections across three hosts in a chain, every packet seen at
 * four capture points with one label, handshakes, HTTP on every other connection — goes to a raw
 * topic on a real broker. Over the same input it measures records/s of (a) a pass-through topology
 * (same serde, same exactly-once settings) and (b) the full enrich topology, and their ratio; then,
 * at a paced, demo-like rate, capture → output latency as a read_committed reader sees it, for both.
 * Everything it creates (the local stack, or topics and groups on a given broker, state dirs) is
 * removed when it ends.
 */
@Command(name = "StreamsBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures the streams app: records/s of the full topology against a pass-through one on the same",
            "input, and capture -> output latency at a paced rate. Progress goes to stderr, the figures to stdout."},
        footer = {"", "Run from the repository root after `mvn -q -B -Dmaven.test.skip=true package -pl benchmarks -am`:",
            "  java -cp benchmarks/target/headerlog-benchmarks.jar io.headerlog.benchmarks.streams.StreamsBenchmark --quick"})
public final class StreamsBenchmark implements Callable<Integer> {
    static final double TARGET_RATIO = 0.4;
    static final long TARGET_P99_MS = 500;
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);

    @Option(names = "--quick", description = "About 2-3 minutes: 200k records, 15 s paced (the default).")
    boolean quick;

    @Option(names = "--full", description = "About 6-8 minutes: 1M records, 60 s paced.")
    boolean full;

    @Option(names = "--records", paramLabel = "N", description = "Records of the bounded input (a multiple of whole connections).")
    Long records;

    @Option(names = "--paced-rate", paramLabel = "REC/S", defaultValue = "500",
            description = "Records/s in the latency phase; the demo publishes a few hundred. Default: ${DEFAULT-VALUE}.")
    long pacedRate;

    @Option(names = "--paced-seconds", paramLabel = "S", description = "Length of each paced run, warm-up included.")
    Integer pacedSeconds;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "3",
            description = "Records captured in the first S seconds of a paced run are not measured. Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(names = "--no-flow-summary", description = "Measure the enrich topology without its flows.summary branch"
            + " (which reads a second topic, flows.raw, empty here, in the same tasks).")
    boolean noFlowSummary;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            description = "Use this broker instead of starting a local stack (needs --registry-url too).")
    String bootstrapServers;

    @Option(names = {"-r", "--registry-url"}, paramLabel = "URL", description = "Confluent-API schema registry of that broker.")
    String registryUrl;

    private final PrintStream out = System.out;
    private final Progress progress = new Progress(System.err);
    private final String run = Long.toString(ProcessHandle.current().pid(), 36)
            + Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    @Override
    public Integer call() throws Exception {
        if (quick && full) {
            System.err.println("headerlog-bench: error: --quick and --full exclude each other");
            return 2;
        }
        if ((bootstrapServers == null) != (registryUrl == null)) {
            System.err.println("headerlog-bench: error: give both --bootstrap-servers and --registry-url, or neither");
            return 2;
        }
        long inputRecords = records != null ? records : full ? 1_000_000 : 200_000;
        int pacedLength = pacedSeconds != null ? pacedSeconds : full ? 60 : 15;
        if (inputRecords < 10_000 || pacedRate < 10 || pacedRate > 20_000 || pacedLength <= warmupSeconds) {
            System.err.println("headerlog-bench: error: --records >= 10000, --paced-rate 10..20000 and --paced-seconds"
                    + " longer than --warmup-seconds, please");
            return 2;
        }
        GeneratedSchemas.trust();
        String loadBefore = MachineInfo.loadAverage();
        Path stateDir = Files.createTempDirectory("headerlog-streams-bench-");
        try (Endpoints endpoints = startKafka();
             BenchKafka kafka = new BenchKafka(endpoints.bootstrapServers(),
                     new RestSchemaRegistryClient(endpoints.registryUrl()))) {
            try {
                out.printf(Locale.ROOT, "headerlog streams benchmark (%s, flows.summary %s): %s; load before %s; broker %s%n",
                        full ? "full" : "quick", noFlowSummary ? "off" : "on", MachineInfo.read().describe(), loadBefore,
                        endpoints.ownStack() ? "local stack started for this run" : endpoints.bootstrapServers());
                measure(kafka, endpoints.registryUrl(), stateDir, inputRecords, pacedLength);
                out.printf(Locale.ROOT, "load after %s%n", MachineInfo.loadAverage());
                return 0;
            } finally {
                if (!endpoints.ownStack()) {
                    kafka.deleteCreated();
                }
            }
        } catch (RuntimeException e) {
            System.err.println("headerlog-bench: error: " + e.getMessage());
            return 1;
        } finally {
            SharedStack.deleteRecursively(stateDir);
        }
    }

    private void measure(BenchKafka kafka, String registryUrl, Path stateDir, long inputRecords, int pacedLength)
            throws InterruptedException {
        // Step 1: the bounded input, produced once, read by both topologies
        String raw = "headers.sbench-" + run + "-raw";
        kafka.create(raw, raw + ".dlq");
        progress.step("producing " + inputRecords + " synthetic PacketHeader records to " + raw);
        long produced = produceBounded(kafka, raw, inputRecords);
        progress.done(produced + " records");

        // Step 2: records/s of each topology over the same input
        StreamsAppConfig pass = config(kafka, registryUrl, stateDir, "pass", raw, "headers.sbench-" + run + "-copy");
        progress.step("pass-through topology");
        long start = System.nanoTime();
        Throughput passThroughput;
        try (PassThroughApp app = PassThroughApp.start(pass, kafka.registry())) {
            passThroughput = OutputCounter.await(kafka.bootstrapServers(), pass.outputTopic(), produced, start, PHASE_TIMEOUT,
                    () -> stopped(app.state()));
        }
        progress.done(Table.count(passThroughput.recordsPerSecond()) + " records/s");

        StreamsAppConfig enrich = config(kafka, registryUrl, stateDir, "full", raw, "headers.sbench-" + run + "-enriched");
        progress.step("full enrich topology");
        start = System.nanoTime();
        Throughput fullThroughput;
        EnrichCounters counters;
        try (EnrichApp app = EnrichApp.start(enrich, kafka.registry())) {
            fullThroughput = OutputCounter.await(kafka.bootstrapServers(), enrich.outputTopic(), produced, start, PHASE_TIMEOUT,
                    () -> stopped(app.state()));
            counters = app.counters();
        }
        progress.done(Table.count(fullThroughput.recordsPerSecond()) + " records/s");
        StreamsReport.throughput(out, produced, passThroughput, fullThroughput, counters);

        // Step 3: latency at a paced rate, each topology on fresh topics
        StreamsAppConfig passPaced = config(kafka, registryUrl, stateDir, "pass-paced", "headers.sbench-" + run + "-paced-pass",
                "headers.sbench-" + run + "-paced-copy");
        progress.step("pass-through latency at " + pacedRate + " records/s for " + pacedLength + " s");
        Histogram passLatency;
        try (PassThroughApp app = PassThroughApp.start(passPaced, kafka.registry())) {
            passLatency = paced(kafka, passPaced, PacketHeader.class, PacketHeader::getCaptureTimeNs, app::state, pacedLength);
        }
        progress.done(StreamsReport.latencyLine(passLatency));

        StreamsAppConfig enrichPaced = config(kafka, registryUrl, stateDir, "full-paced",
                "headers.sbench-" + run + "-paced-full", "headers.sbench-" + run + "-paced-enriched");
        progress.step("full enrich latency at " + pacedRate + " records/s for " + pacedLength + " s");
        Histogram fullLatency;
        try (EnrichApp app = EnrichApp.start(enrichPaced, kafka.registry())) {
            fullLatency = paced(kafka, enrichPaced, EnrichedHeader.class, e -> e.getHeader().getCaptureTimeNs(), app::state,
                    pacedLength);
        }
        progress.done(StreamsReport.latencyLine(fullLatency));
        StreamsReport.latency(out, pacedRate, pacedLength, warmupSeconds, passLatency, fullLatency);
    }

    /** The app's configuration on this run's topics (created here), with the app's default processing settings. */
    private StreamsAppConfig config(BenchKafka kafka, String registryUrl, Path stateDir, String tag, String input, String output) {
        String appId = "headerlog-sbench-" + run + "-" + tag;
        String base = "sbench-" + run + "-" + tag;
        StreamsAppConfig c = StreamsAppConfig.defaults(kafka.bootstrapServers(), registryUrl)
                .withApplicationId(appId).withStateDir(stateDir.resolve(tag)).withTopics(input, output)
                .withClockTopic("clock." + base).withCorrelatedTopic("packets." + base).withHttpTopic("http." + base)
                // this run's own (empty) flows.raw: never a broker's real one
                .withFlowTopics("flows." + base, "flows." + base + "-summary")
                .withStats("streams." + base, StreamsAppConfig.DEFAULT_STATS_INTERVAL)
                .withFunctions(StreamFunctions.DEFAULTS.withFlowWindows(
                        FlowWindowConfig.DEFAULTS.withEnabled(!noFlowSummary)));
        kafka.create(c.topics());
        kafka.track(appId);
        return c;
    }

    /** Whole connections until at least {@code wanted} records, capture times spread at 20k records/s ending now. */
    private long produceBounded(BenchKafka kafka, String topic, long wanted) {
        SyntheticTraffic traffic = new SyntheticTraffic(42);
        long gapNs = 200_000; // 5000 packets/s of capture time, 4 sightings each
        long t = LatencyProbe.nowNs() - wanted / SyntheticTraffic.sightingsPerPacket() * gapNs;
        long sent = 0;
        try (KafkaProducer<String, PacketHeader> producer = kafka.producer()) {
            while (sent < wanted) {
                List<Sighting> connection = traffic.nextConnection(t, gapNs);
                for (Sighting s : connection) {
                    BenchKafka.send(producer, topic, s);
                }
                sent += connection.size();
                t += (long) connection.size() / SyntheticTraffic.sightingsPerPacket() * gapNs;
            }
            producer.flush();
        }
        return sent;
    }

    /**
     * Starts a reader on the app's output, produces connections in real time at the paced rate (each
     * record sent when its capture time comes), waits for the app to deliver them and returns the
     * latencies of those captured after the warm-up.
     */
    private <T extends org.apache.avro.specific.SpecificRecord> Histogram paced(BenchKafka kafka, StreamsAppConfig config,
            Class<T> type, java.util.function.ToLongFunction<T> captureTime, Supplier<KafkaStreams.State> state,
            int seconds) throws InterruptedException {
        awaitRunning(state);
        try (LatencyProbe<T> probe = new LatencyProbe<>(kafka.bootstrapServers(), kafka.registry(), config.outputTopic(), type,
                captureTime)) {
            SyntheticTraffic traffic = new SyntheticTraffic(7);
            long gapNs = 1_000_000_000L * SyntheticTraffic.sightingsPerPacket() / pacedRate;
            long begin = LatencyProbe.nowNs();
            probe.recordFrom(begin + warmupSeconds * 1_000_000_000L);
            long end = begin + seconds * 1_000_000_000L;
            long sent = 0;
            try (KafkaProducer<String, PacketHeader> producer = kafka.producer()) {
                while (LatencyProbe.nowNs() < end) {
                    for (Sighting s : traffic.nextConnection(LatencyProbe.nowNs() + 1_000_000, gapNs)) {
                        long wait = s.header().getCaptureTimeNs() - LatencyProbe.nowNs();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        BenchKafka.send(producer, config.inputTopic(), s);
                        sent++;
                    }
                }
                producer.flush();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (probe.seen() < sent && System.nanoTime() < deadline && !stopped(state.get())) {
                Thread.sleep(50);
            }
            if (probe.seen() < sent) {
                throw new IllegalStateException(config.outputTopic() + " got " + probe.seen() + " of " + sent
                        + " paced records within 60 s of the last");
            }
            return probe.stop();
        }
    }

    private static void awaitRunning(Supplier<KafkaStreams.State> state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (state.get() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || stopped(state.get())) {
                throw new IllegalStateException("the app did not reach RUNNING within 90 s (state " + state.get() + ")");
            }
            Thread.sleep(50);
        }
    }

    private static boolean stopped(KafkaStreams.State s) {
        return s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING || s == KafkaStreams.State.PENDING_ERROR;
    }

    private Endpoints startKafka() {
        if (bootstrapServers != null) {
            return Endpoints.of(bootstrapServers, registryUrl);
        }
        progress.step("starting a local stack (Kafka + Apicurio) on free ports");
        return Endpoints.startLocalStack();
    }

    public static void main(String[] args) throws IOException {
        // the Kafka clients' retries while the local stack starts are expected; keep stderr for progress
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", System.getProperty(
                "org.slf4j.simpleLogger.log.org.apache.kafka", "error"));
        System.setProperty("org.slf4j.simpleLogger.log.io.headerlog", System.getProperty(
                "org.slf4j.simpleLogger.log.io.headerlog", "warn"));
        System.exit(new CommandLine(new StreamsBenchmark()).execute(args));
    }
}
