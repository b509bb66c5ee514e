package io.headerlog.streams;

import io.headerlog.metrics.ListenAddress;
import io.headerlog.metrics.ListenAddressConverter;
import io.headerlog.metrics.MetricsServer;
import io.headerlog.streams.metrics.StreamsMetrics;
import io.headerlog.config.ConfigDefaults;
import io.headerlog.config.UsageErrors;
import io.headerlog.registry.RegistryCheck;
import io.headerlog.streams.flows.CoPartitioning;
import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.streams.flows.FlowWindowConfig;
import io.headerlog.topics.KafkaCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the enrich topology until Ctrl-C / SIGTERM or for a fixed time. Checks the registry and the
 * broker first so a missing stack is one clear line, not a wall of client retries.
 */
@Command(name = "stream", mixinStandardHelpOptions = true, version = "headerlog streams 0.1.0",
        description = "Enrich PacketHeader records from the raw topic into EnrichedHeader records.",
        sortOptions = false)
public final class StreamCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamCommand.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT[,…]",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    private String bootstrapServers;

    @Option(names = "--registry-url", defaultValue = "http://127.0.0.1:8081", paramLabel = "URL",
            description = "Confluent-API schema registry base URL (default: ${DEFAULT-VALUE}).")
    private String registryUrl;

    @Option(names = ConfigDefaults.CONFIG_OPTION, paramLabel = "FILE",
            description = "Options from a properties file (stream.filter=…, bootstrap-servers=…); flags win, then"
                    + " HEADERLOG_STREAM_<OPTION> / HEADERLOG_<OPTION> environment variables, then the file."
                    + " Default: $HEADERLOG_CONFIG if set.")
    private Path configFile;

    @Option(names = "--metrics-listen", paramLabel = "[HOST]:PORT", converter = ListenAddressConverter.class,
            description = "Serve Prometheus metrics (streams.stats counters, consumer lag, clock offsets) at"
                    + " http://HOST:PORT/metrics; PORT or :PORT listens on every interface. Default: no endpoint.")
    private ListenAddress metricsListen;

    @Option(names = "--application-id", defaultValue = StreamsAppConfig.DEFAULT_APPLICATION_ID, paramLabel = "ID",
            description = "Kafka Streams application id; instances with the same id share the work (default: ${DEFAULT-VALUE}).")
    private String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Kafka Streams state directory (default: <tmpdir>/headerlog-streams-state).")
    private Path stateDir;

    @Option(names = "--input-topic", defaultValue = StreamsAppConfig.DEFAULT_INPUT_TOPIC, paramLabel = "TOPIC",
            description = "Topic of PacketHeader records (default: ${DEFAULT-VALUE}).")
    private String inputTopic;

    @Option(names = "--output-topic", defaultValue = StreamsAppConfig.DEFAULT_OUTPUT_TOPIC, paramLabel = "TOPIC",
            description = "Topic for EnrichedHeader records (default: ${DEFAULT-VALUE}).")
    private String outputTopic;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Stream threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--processing-guarantee", defaultValue = "exactly_once_v2", paramLabel = "G",
            description = "at_least_once or exactly_once_v2 (default: ${DEFAULT-VALUE}).")
    private String processingGuarantee;

    @Option(names = "--commit-interval-ms", defaultValue = "200", paramLabel = "MS",
            description = "Commit interval; under exactly_once_v2 also how long readers wait for records (default: ${DEFAULT-VALUE}).")
    private long commitIntervalMs;

    @Option(names = "--filter", paramLabel = "CEL",
            description = {"Keep only records for which this CEL expression over the PacketHeader (as `header`) is true,",
                "e.g. 'header.tcp.dstPort == 80 || has(header.http)'. Default: keep all."})
    private String filter;

    @Option(names = "--sample-rate", defaultValue = "1", paramLabel = "N",
            description = "Keep 1 in N of the collectors' records, consistently across hosts (by packet label) (default: ${DEFAULT-VALUE}).")
    private int sampleRate;

    @Option(names = "--clock-reference", paramLabel = "HOST",
            description = "Host every clock is aligned to (default: the lowest host id seen).")
    private String clockReference;

    @Option(names = "--clock-topic", defaultValue = StreamsAppConfig.DEFAULT_CLOCK_TOPIC, paramLabel = "TOPIC",
            description = "Topic of ClockOffset estimates (default: ${DEFAULT-VALUE}).")
    private String clockTopic;

    @Option(names = "--correlated-topic", defaultValue = StreamsAppConfig.DEFAULT_CORRELATED_TOPIC, paramLabel = "TOPIC",
            description = "Topic of CorrelatedPacket records (default: ${DEFAULT-VALUE}).")
    private String correlatedTopic;

    @Option(names = "--http-topic", defaultValue = StreamsAppConfig.DEFAULT_HTTP_TOPIC, paramLabel = "TOPIC",
            description = "Topic of HttpTransaction records (default: ${DEFAULT-VALUE}).")
    private String httpTopic;

    @Option(names = "--flows-topic", defaultValue = StreamsAppConfig.DEFAULT_FLOWS_TOPIC, paramLabel = "TOPIC",
            description = "Topic of the collectors' FlowSummary records, keyed and partitioned like the input (default: ${DEFAULT-VALUE}).")
    private String flowsTopic;

    @Option(names = "--flow-summary-topic", defaultValue = StreamsAppConfig.DEFAULT_FLOW_SUMMARY_TOPIC, paramLabel = "TOPIC",
            description = "Topic of FlowWindowSummary records: estimated next to exact flow counters (default: ${DEFAULT-VALUE}).")
    private String flowSummaryTopic;

    @Option(names = "--flow-window", defaultValue = "10", paramLabel = "SECONDS",
            description = "Tumbling window of the flow summary (default: ${DEFAULT-VALUE}).")
    private long flowWindowSeconds;

    @Option(names = "--flow-window-grace", defaultValue = "30", paramLabel = "SECONDS",
            description = {"How long a flow window waits for late records; must cover the collectors' flow export delay",
                "(--flow-idle-timeout + --stats-interval) (default: ${DEFAULT-VALUE})."})
    private long flowWindowGraceSeconds;

    @Option(names = "--no-flow-summary", description = "Do not read the flows topic nor write the flow summary.")
    private boolean noFlowSummary;

    @Option(names = "--stats-topic", defaultValue = StreamsAppConfig.DEFAULT_STATS_TOPIC, paramLabel = "TOPIC",
            description = "Topic of StreamsStats records, this instance's counters (default: ${DEFAULT-VALUE}).")
    private String statsTopic;

    @Option(names = "--stats-interval", defaultValue = "5", paramLabel = "SECONDS",
            description = "How often the counters are published to the stats topic, like the collector's (default: ${DEFAULT-VALUE}).")
    private double statsIntervalSeconds;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this many seconds; 0 runs until Ctrl-C or SIGTERM (default: ${DEFAULT-VALUE}).")
    private long durationSeconds;

    @Option(names = "--status-interval", defaultValue = "10", paramLabel = "SECONDS",
            description = "Seconds between status lines (records in/out) (default: ${DEFAULT-VALUE}).")
    private long statusIntervalSeconds;

    /** The command line main runs: a line it cannot parse is reported like the command's other errors. */
    public static CommandLine commandLine() {
        return UsageErrors.install(new CommandLine(new StreamCommand()), "error: ", "headerlog stream");
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        try {
            ConfigDefaults.install(cl, "stream", args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        StreamsAppConfig config;
        try {
            config = buildConfig();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        // The metrics port is bound first: a taken port then fails the start before anything touches
        // Kafka (no topics created, no group joined). Until the app runs it serves no samples.
        AtomicReference<EnrichApp> started = new AtomicReference<>();
        MetricsServer metrics = null;
        try {
            if (metricsListen != null) {
                metrics = MetricsServer.start(metricsListen, StreamsMetrics.registry(started::get), "--metrics-listen");
                LOG.info("metrics on {}", metricsListen.withPort(metrics.port()).metricsUrl());
            }
        } catch (MetricsServer.UnavailableException e) {
            err.println("error: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
        try {
            SchemaRegistryClient registry = new RestSchemaRegistryClient(config.registryUrl());
            String unreachable = RegistryCheck.problem(registry, config.registryUrl());
            if (unreachable == null) {
                unreachable = KafkaCheck.problem(config.bootstrapServers(), List.of(config.topics()), (admin, timeout) -> {
                    if (config.functions().flowWindows().enabled()) {
                        CoPartitioning.require(admin, config.outputTopic(), config.flowsTopic(), timeout);
                    }
                });
            }
            if (unreachable != null) {
                err.println("error: " + unreachable);
                return CommandLine.ExitCode.SOFTWARE;
            }
            return runUntilStopped(config, registry, started, err);
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    private StreamsAppConfig buildConfig() {
        if (durationSeconds < 0) {
            throw new IllegalArgumentException("--duration must be >= 0 seconds, was " + durationSeconds);
        }
        if (statusIntervalSeconds < 1) {
            throw new IllegalArgumentException("--status-interval must be >= 1 second, was " + statusIntervalSeconds);
        }
        if (flowWindowSeconds < 1 || flowWindowGraceSeconds < 0) {
            throw new IllegalArgumentException("--flow-window must be >= 1 and --flow-window-grace >= 0 seconds, were "
                    + flowWindowSeconds + " and " + flowWindowGraceSeconds);
        }
        StreamFunctions functions = StreamFunctions.DEFAULTS.withFilter(filter).withSampleRate(sampleRate)
                .withClockReference(Optional.ofNullable(clockReference))
                .withFlowWindows(FlowWindowConfig.DEFAULTS.withEnabled(!noFlowSummary)
                        .withWindow(Duration.ofSeconds(flowWindowSeconds)).withGrace(Duration.ofSeconds(flowWindowGraceSeconds)));
        StreamsAppConfig config = StreamsAppConfig.defaults(bootstrapServers, registryUrl)
                .withApplicationId(applicationId)
                .withTopics(inputTopic, outputTopic)
                .withClockTopic(clockTopic)
                .withCorrelatedTopic(correlatedTopic)
                .withHttpTopic(httpTopic)
                .withFlowTopics(flowsTopic, flowSummaryTopic)
                .withStats(statsTopic, Duration.ofMillis(Math.round(statsIntervalSeconds * 1000)))
                .withFunctions(functions)
                .withProcessing(threads, ProcessingGuarantee.parse(processingGuarantee),
                        Duration.ofMillis(commitIntervalMs));
        return stateDir == null ? config : config.withStateDir(stateDir);
    }

    /*
     * The main thread waits for a stop request: the duration, a signal (the shutdown hook), an
     * interrupt (how an embedding caller or test stops it) or the app failing. The hook then waits
     * for the close to finish so the JVM does not exit with offsets uncommitted.
     */
    private int runUntilStopped(StreamsAppConfig config, SchemaRegistryClient registry, AtomicReference<EnrichApp> started,
            PrintWriter err) {
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                closed.await(CLOSE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "headerlog-stream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "headerlog-stream-status");
            t.setDaemon(true);
            return t;
        });
        EnrichApp app = null;
        boolean interrupted = false;
        try {
            app = EnrichApp.start(config, registry);
            EnrichApp running = app;
            started.set(running);
            LOG.info("enriching {} -> {} as application {} (bootstrap {}, registry {})", config.inputTopic(),
                    config.outputTopic(), config.applicationId(), config.bootstrapServers(), config.registryUrl());
            status.scheduleAtFixedRate(new StatusLine(running), statusIntervalSeconds, statusIntervalSeconds,
                    TimeUnit.SECONDS);
            Thread watcher = new Thread(() -> {
                try {
                    running.awaitStop();
                    stopRequested.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "headerlog-stream-watch");
            watcher.setDaemon(true);
            watcher.start();
            interrupted = awaitStop(stopRequested);
            watcher.interrupt();
        } finally {
            status.shutdownNow();
            if (app != null) {
                app.close(CLOSE_TIMEOUT);
                LOG.info("stopped: {}", app.counters());
            }
            closed.countDown();
            removeHook(hook);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable fatal = app.fatalError();
        if (fatal != null) {
            err.println("error: stream processing failed: " + rootMessage(fatal));
            return CommandLine.ExitCode.SOFTWARE;
        }
        if (app.state() == KafkaStreams.State.ERROR) {
            err.println("error: Kafka Streams stopped in state ERROR; the log above says why");
            return CommandLine.ExitCode.SOFTWARE;
        }
        return CommandLine.ExitCode.OK;
    }

    /** Waits for a stop request; true if it was an interrupt, which the caller re-asserts after closing. */
    private boolean awaitStop(CountDownLatch stopRequested) {
        try {
            if (durationSeconds > 0) {
                stopRequested.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                stopRequested.await();
            }
            return false;
        } catch (InterruptedException e) {
            // An interrupt is a stop request like Ctrl-C. Closing with the flag set would abort
            // Kafka Streams' own waits, so the flag is restored only once the app is closed.
            return true;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running (signal); it finishes as soon as `closed` is counted down.
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t.getMessage() + " (cause: " + root + ")";
    }

    /** One log line per interval: state, totals and rates since the previous line. */
    private static final class StatusLine implements Runnable {
        private final EnrichApp app;
        private long lastIn;
        private long lastOut;
        private long lastNanos = System.nanoTime();

        StatusLine(EnrichApp app) {
            this.app = app;
        }

        @Override
        public void run() {
            EnrichCounters c = app.counters();
            long in = c.recordsIn();
            long out = c.recordsOut();
            long now = System.nanoTime();
            double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
            LOG.info("status: state={} in={} ({}/s) out={} ({}/s) aligned={} filtered={} sampled-out={} dead-letters={}"
                    + " null-values={} clock-samples={}", app.state(), in, Math.round((in - lastIn) / seconds), out,
                    Math.round((out - lastOut) / seconds), c.aligned(), c.filteredOut(), c.sampledOut(), c.deadLetters(),
                    c.nullValues(), c.clockSamples());
            lastIn = in;
            lastOut = out;
            lastNanos = now;
        }
    }
}
