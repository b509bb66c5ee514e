package io.headerlog.tools.stack;

import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** One-shot health probes for `stack status`: "ok …" or what went wrong. */
final class StackProbe {

    private StackProbe() {
    }

    static String broker(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            int topics = admin.listTopics().names().get(5, TimeUnit.SECONDS).size();
            return "ok, " + topics + " topics";
        } catch (Exception e) {
            return "not answering (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    static String registry(String registryUrl) {
        try {
            int subjects = new RestSchemaRegistryClient(registryUrl, Duration.ofSeconds(5)).subjects().size();
            return "ok, " + subjects + " subjects";
        } catch (SchemaRegistryException e) {
            return "not answering (" + e.getMessage() + ")";
        }
    }
}
