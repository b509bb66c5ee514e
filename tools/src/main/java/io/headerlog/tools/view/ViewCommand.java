package io.headerlog.tools.view;

import io.headerlog.registry.RegistryCheck;
import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.StreamsStats;
import io.headerlog.tools.view.ViewRecordDecoder.Undecodable;
import io.headerlog.topics.KafkaCheck;
import io.headerlog.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The demo's live view: follows headers.enriched and collector.stats from their ends, and
 * clock.offsets and streams.stats from a few records before their ends (the current estimates, and a
 * snapshot of each streams-app instance to compute rates from at once), and redraws a summary every
 * refresh. Reads without a consumer group, so any number of viewers can watch without
 * committing offsets or disturbing each other.
 */
@Command(name = "view", mixinStandardHelpOptions = true, sortOptions = false, version = "headerlog view 0.1.0",
        description = "Live summary of enriched headers, collector stats, clock estimates and streams-app stats, refreshed every second.")
public final class ViewCommand implements Callable<Integer> {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);
    /**
     * Records per clock.offsets partition read from before the view started: the streams app
     * republishes every host's estimate on each change, so this holds the current estimates and a
     * short history of them for any realistic number of hosts.
     */
    static final long CLOCK_BACKLOG = 256;

    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT[,…]",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    private String bootstrapServers;

    @Option(names = "--registry-url", defaultValue = "http://127.0.0.1:8081", paramLabel = "URL",
            description = "Confluent-API schema registry base URL (default: ${DEFAULT-VALUE}).")
    private String registryUrl;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this many seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    private long durationSeconds;

    @Option(names = "--refresh-ms", defaultValue = "1000", paramLabel = "MS",
            description = "Milliseconds between snapshots, 100..60000 (default: ${DEFAULT-VALUE}).")
    private long refreshMs;

    // --http-lines was the option's name while the view showed HTTP requests only; kept so existing
    // scripts keep working.
    @Option(names = {"--message-lines", "--http-lines"}, defaultValue = "12", paramLabel = "N",
            description = "Newest HTTP/DNS/TLS message lines to show, 0..100 (default: ${DEFAULT-VALUE}); "
                    + "--http-lines is a deprecated alias.")
    private int messageLines;

    @Option(names = "--plain", description = "Append snapshots instead of redrawing the screen "
            + "(the default when stdout is not a terminal).")
    private boolean plain;

    @Option(names = "--enriched-topic", defaultValue = Topics.HEADERS_ENRICHED, paramLabel = "TOPIC",
            description = "Topic of EnrichedHeader records (default: ${DEFAULT-VALUE}).")
    private String enrichedTopic;

    @Option(names = "--stats-topic", defaultValue = Topics.COLLECTOR_STATS, paramLabel = "TOPIC",
            description = "Topic of CollectorStats records (default: ${DEFAULT-VALUE}).")
    private String statsTopic;

    @Option(names = "--clock-topic", defaultValue = Topics.CLOCK_OFFSETS, paramLabel = "TOPIC",
            description = "Topic of ClockOffset estimates, read from its last " + CLOCK_BACKLOG
                    + " records so current estimates show at once (default: ${DEFAULT-VALUE}).")
    private String clockTopic;

    @Option(names = "--streams-stats-topic", defaultValue = Topics.STREAMS_STATS, paramLabel = "TOPIC",
            description = "Topic of StreamsStats records (the streams app's counters), read from its last " + CLOCK_BACKLOG
                    + " records so rates show at once (default: ${DEFAULT-VALUE}).")
    private String streamsStatsTopic;

    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private volatile KafkaConsumer<String, Object> consumer;
    private boolean interrupted;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String invalid = validate();
        if (invalid != null) {
            err.println("error: " + invalid);
            return CommandLine.ExitCode.USAGE;
        }
        SchemaRegistryClient registry;
        try {
            registry = new RestSchemaRegistryClient(registryUrl);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        String unusable = RegistryCheck.problem(registry, registryUrl);
        if (unusable == null) {
            // The view may start before the collector and the streams app: create what it follows.
            unusable = KafkaCheck.problem(bootstrapServers, List.of(enrichedTopic, statsTopic, clockTopic, streamsStatsTopic));
        }
        if (unusable != null) {
            err.println("error: " + unusable);
            return CommandLine.ExitCode.SOFTWARE;
        }
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop();
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "headerlog-view-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (KafkaConsumer<String, Object> c = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                new ViewRecordDecoder(registry, enrichedTopic, statsTopic, clockTopic, streamsStatsTopic))) {
            consumer = c;
            followFromEnd(c, err);
            loop(c, new SnapshotPrinter(spec.commandLine().getOut(), SnapshotPrinter.detect(plain)));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is what stopped us; it returns once `finished` is counted down.
            }
        }
        return CommandLine.ExitCode.OK;
    }

    /** Ends the view from another thread (a signal, or an embedding caller). */
    public void stop() {
        stopRequested.set(true);
        KafkaConsumer<String, Object> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private String validate() {
        if (durationSeconds < 0) {
            return "--duration must be >= 0 seconds, was " + durationSeconds;
        }
        if (refreshMs < 100 || refreshMs > 60_000) {
            return "--refresh-ms must be 100..60000, was " + refreshMs;
        }
        if (messageLines < 0 || messageLines > 100) {
            return "--message-lines must be 0..100, was " + messageLines;
        }
        if (new HashSet<>(List.of(enrichedTopic, statsTopic, clockTopic, streamsStatsTopic)).size() < 4) {
            return "--enriched-topic, --stats-topic, --clock-topic and --streams-stats-topic must differ, were '"
                    + enrichedTopic + "', '" + statsTopic + "', '" + clockTopic + "' and '" + streamsStatsTopic + "'";
        }
        return null;
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "headerlog-view",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    }

    private void followFromEnd(KafkaConsumer<String, Object> c, PrintWriter err) {
        int partitions = ViewPositions.assign(c, List.of(enrichedTopic, statsTopic), List.of(clockTopic, streamsStatsTopic),
                CLOCK_BACKLOG, CHECK_TIMEOUT);
        err.printf("view: following %s and %s from their latest offsets, %s and %s from their last %d records"
                + " (%d partitions)%n", enrichedTopic, statsTopic, clockTopic, streamsStatsTopic, CLOCK_BACKLOG, partitions);
        err.flush();
    }

    private void loop(KafkaConsumer<String, Object> c, SnapshotPrinter printer) {
        SummaryRenderer renderer = new SummaryRenderer(ZoneId.systemDefault());
        long start = System.currentTimeMillis();
        long deadline = durationSeconds == 0 ? Long.MAX_VALUE : start + durationSeconds * 1000;
        TrafficSummary summary = new TrafficSummary(start, messageLines);
        long nextRefresh = start + refreshMs;
        boolean printedAny = false;
        while (!stopRequested.get() && !interrupted) {
            long now = System.currentTimeMillis();
            if (now >= deadline) {
                break;
            }
            try {
                long wait = Math.max(1, Math.min(Math.min(nextRefresh, deadline) - now, 250));
                for (ConsumerRecord<String, Object> r : c.poll(Duration.ofMillis(wait))) {
                    accept(summary, r.value());
                }
            } catch (WakeupException stop) {
                break;
            } catch (InterruptException stop) {
                // Treated like Ctrl-C. The flag is cleared so the consumer can close cleanly, and
                // restored by call() afterwards.
                Thread.interrupted();
                interrupted = true;
                break;
            }
            now = System.currentTimeMillis();
            if (now >= nextRefresh) {
                printer.print(renderer.render(summary.snapshot(now)));
                printedAny = true;
                nextRefresh += refreshMs;
                if (nextRefresh <= now) {
                    // After a stall, resume the cadence from now instead of printing a burst.
                    nextRefresh = now + refreshMs;
                }
            }
        }
        // End with everything seen; if nothing arrived since the last refresh, that one already does
        // (and a second snapshot over a few milliseconds would show meaningless zero rates).
        if (summary.changedSinceSnapshot() || !printedAny) {
            printer.print(renderer.render(summary.snapshot(System.currentTimeMillis())));
        }
    }

    private static void accept(TrafficSummary summary, Object value) {
        if (value instanceof EnrichedHeader e) {
            summary.add(e);
        } else if (value instanceof CollectorStats s) {
            summary.add(s);
        } else if (value instanceof ClockOffset o) {
            summary.add(o);
        } else if (value instanceof StreamsStats s) {
            summary.add(s);
        } else if (value instanceof Undecodable u) {
            summary.addUndecodable(u.reason());
        }
    }
}
