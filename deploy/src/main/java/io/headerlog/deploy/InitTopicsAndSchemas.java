package io.headerlog.deploy;

import io.headerlog.config.UsageErrors;
import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryException;
import io.headerlog.topics.Topics;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one-shot {@code headerlog-init} step of docker-compose.yml: creates the project's topics
 * (with their default partition counts, as the apps would) and registers every topic's value schema
 * under its {@code <topic>-value} subject. ksqlDB's schema inference needs a topic and its subject
 * to exist before CREATE STREAM can name it, and some topics get their first record late or never
 * on one host (packets.correlated and clock.offsets need two hosts). Registering the apps' own
 * schemas is harmless: the apps register the same schema again and get the same id.
 */
@Command(name = "InitTopicsAndSchemas", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Creates the headerlog topics where missing and registers their value schemas; retries for up to"
                + " --wait-seconds while the broker or the registry is still starting.")
public final class InitTopicsAndSchemas implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    private String bootstrap;

    @Option(names = "--registry-url", required = true, paramLabel = "URL", description = "Confluent-API schema registry.")
    private String registryUrl;

    @Option(names = "--wait-seconds", defaultValue = "60", paramLabel = "N",
            description = "How long to retry while the broker or the registry is still starting. Default: ${DEFAULT-VALUE}.")
    private long waitSeconds;

    private final PrintStream out;
    private final PrintStream err;

    private InitTopicsAndSchemas(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the step; the exit status is 0 when done, 1 when it failed, 2 for a usage error. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return UsageErrors.install(new CommandLine(new InitTopicsAndSchemas(out, err)), "error: ", "InitTopicsAndSchemas")
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Override
    public Integer call() {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        try {
            retry("creating the topics on " + bootstrap, deadline, err, () -> createTopics(bootstrap));
            SchemaRegistryClient registry = new RestSchemaRegistryClient(registryUrl);
            retry("registering the schemas at " + registryUrl, deadline, err,
                    () -> registerSchemas(registry).forEach((subject, id) -> out.println("registered " + subject + " (id " + id + ")")));
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        out.println("topics and value schemas are in place");
        return 0;
    }

    /** Creates every project topic that is missing (existing ones are left as they are). */
    static void createTopics(String bootstrap) {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(config)) {
            Topics.ensureDefaultTopics(admin);
        }
    }

    /** Registers each topic's value schema under its subject; returns subject → schema id. */
    static Map<String, Integer> registerSchemas(SchemaRegistryClient registry) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Schema> e : TopicSchemas.valueSchemas().entrySet()) {
            String subject = TopicSchemas.valueSubject(e.getKey());
            ids.put(subject, registry.register(subject, e.getValue()));
        }
        return ids;
    }

    /*
     * Compose starts this step once the broker and the registry report healthy, but both can still
     * refuse for a moment after that. Retry what looks like "not up yet"; a registry that answers
     * 4xx (an incompatible schema) will not change its mind, so that fails at once.
     */
    private static void retry(String what, long deadline, PrintStream err, Runnable action) {
        while (true) {
            try {
                action.run();
                return;
            } catch (RuntimeException e) {
                boolean refused = e instanceof SchemaRegistryException sre && sre.httpStatus() >= 400 && sre.httpStatus() < 500;
                if (refused || System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
                }
                err.println(what + " failed (" + e.getMessage() + "); retrying");
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(what + " was interrupted", ie);
                }
            }
        }
    }
}
