package io.headerlog.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/**
 * The start-up check of the commands that follow or write topics, beside
 * {@link io.headerlog.registry.RegistryCheck}: Kafka answers and has every topic they use (created
 * where missing).
 */
public final class KafkaCheck {
    /** How long each step of the check may take. */
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private KafkaCheck() {}

    /**
     * Null when Kafka at {@code bootstrapServers} answers and {@code topics} exist; else one line that
     * says what failed and what to do.
     */
    public static String problem(String bootstrapServers, List<String> topics) {
        return problem(bootstrapServers, topics, (admin, timeout) -> {});
    }

    /**
     * As {@link #problem(String, List)}, then {@code more}: a further check on the same admin client,
     * given the check's timeout per step, that fails by throwing IllegalStateException with the line.
     */
    public static String problem(String bootstrapServers, List<String> topics, BiConsumer<Admin, Duration> more) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Topics.ensureTopics(admin, topics.toArray(String[]::new));
            more.accept(admin, TIMEOUT);
            return null;
        } catch (TimeoutException e) {
            return "Kafka at " + bootstrapServers + " did not answer within " + TIMEOUT.toSeconds()
                    + " s; start the local stack (./headerlog stack start) or pass --bootstrap-servers";
        } catch (ExecutionException e) {
            return "Kafka at " + bootstrapServers + " is not usable (" + e.getCause().getMessage()
                    + "); start the local stack (./headerlog stack start) or pass --bootstrap-servers";
        } catch (IllegalStateException | IllegalArgumentException e) {
            return e.getMessage();
        } catch (KafkaException e) {
            // e.g. a ConfigException for a bootstrap address without a port
            return "cannot use --bootstrap-servers " + bootstrapServers + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking Kafka at " + bootstrapServers;
        }
    }
}
