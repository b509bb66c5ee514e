package io.headerlog.tools.tail;

import io.headerlog.registry.RestSchemaRegistryClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `tail TOPIC`: a topic's Avro records as JSON lines. */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print a topic's Avro records (Confluent wire format) as one JSON object per line, decoded"
                + " with the writer's schema from the registry. Reads without a consumer group.")
public final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic to read, e.g. headers.raw.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones only.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0",
            description = "Exit after N records; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long max;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Exit when no record arrived for this many seconds; 0 = wait for ever (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--with-metadata",
            description = "Wrap each record: {\"topic\",\"partition\",\"offset\",\"timestamp\",\"key\",\"value\"}.")
    boolean withMetadata;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8081",
            description = "Confluent-API schema registry base URL (default: ${DEFAULT-VALUE}).")
    String registryUrl;

    @Override
    public Integer call() {
        TopicTail.Options options;
        RestSchemaRegistryClient registry;
        try {
            options = new TopicTail.Options(topic, fromBeginning, max, Duration.ofSeconds(timeoutSeconds), withMetadata);
            registry = new RestSchemaRegistryClient(registryUrl);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        TopicTail tail = new TopicTail(bootstrapServers, registry, options);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: let the loop close the consumer cleanly before the JVM exits.
        Thread onInterrupt = new Thread(() -> {
            tail.stop();
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "headerlog-tail-stop");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            long count = tail.run(out, err);
            err.println("tail: " + count + " record" + (count == 1 ? "" : "s") + " from " + topic);
            err.flush();
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns once finished is counted down
            }
        }
    }
}
