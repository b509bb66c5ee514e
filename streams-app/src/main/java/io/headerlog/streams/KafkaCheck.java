package io.headerlog.streams;

import io.headerlog.streams.flows.CoPartitioning;
import io.headerlog.topics.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What the stream command checks before it starts the app, after the registry
 * ({@link io.headerlog.registry.RegistryCheck}): that Kafka answers, has every topic (created if
 * missing) and co-partitions the topics the flow windows join.
 */
final class KafkaCheck {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);

    private KafkaCheck() {}

    /** Null when all is well; else one line that says what failed and what to do. */
    static String problem(StreamsAppConfig config) {
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            admin.describeCluster().clusterId().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Topics.ensureTopics(admin, config.topics());
            if (config.functions().flowWindows().enabled()) {
                CoPartitioning.require(admin, config.outputTopic(), config.flowsTopic(), CHECK_TIMEOUT);
            }
            return null;
        } catch (TimeoutException e) {
            return "Kafka at " + config.bootstrapServers() + " did not answer within " + CHECK_TIMEOUT.toSeconds()
                    + " s; start the local stack (./headerlog stack start) or pass --bootstrap-servers";
        } catch (ExecutionException e) {
            return "Kafka at " + config.bootstrapServers() + " is not usable (" + e.getCause().getMessage()
                    + "); start the local stack (./headerlog stack start) or pass --bootstrap-servers";
        } catch (IllegalStateException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking Kafka at " + config.bootstrapServers();
        }
    }
}
