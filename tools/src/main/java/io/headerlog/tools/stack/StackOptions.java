package io.headerlog.tools.stack;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options that place and size a stack, shared by `stack start` and `stack run`. */
public final class StackOptions {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/var/lib/headerlog/stack",
            description = "Broker log, registry database, logs and state (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--broker-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Kafka listener on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--controller-port", paramLabel = "PORT", defaultValue = "9093",
            description = "KRaft controller listener (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Confluent-API schema registry on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--apicurio-port", paramLabel = "PORT", defaultValue = "18081",
            description = "Apicurio's own port behind the registry port (default: ${DEFAULT-VALUE}).")
    int apicurioPort;

    @Option(names = "--broker-heap", paramLabel = "SIZE", defaultValue = "768m",
            description = "Broker JVM -Xmx (default: ${DEFAULT-VALUE}).")
    String brokerHeap;

    @Option(names = "--registry-heap", paramLabel = "SIZE", defaultValue = "512m",
            description = "Registry JVM -Xmx (default: ${DEFAULT-VALUE}).")
    String registryHeap;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Time each part may take to become ready (default: ${DEFAULT-VALUE}).")
    long startTimeoutSeconds;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", defaultValue = "20",
            description = "Time a part may take to exit after SIGTERM before SIGKILL (default: ${DEFAULT-VALUE}).")
    long stopTimeoutSeconds;

    /** The validated config; throws IllegalArgumentException naming the bad option. */
    public StackConfig toConfig() {
        return new StackConfig(dataDir, brokerPort, controllerPort, registryPort, apicurioPort, brokerHeap,
                registryHeap, Duration.ofSeconds(startTimeoutSeconds), Duration.ofSeconds(stopTimeoutSeconds));
    }

    /** The same options as command-line arguments, for the detached supervisor. */
    static java.util.List<String> toArguments(StackConfig config) {
        return java.util.List.of("--data-dir", config.dataDir().toString(),
                "--broker-port", Integer.toString(config.brokerPort()),
                "--controller-port", Integer.toString(config.controllerPort()),
                "--registry-port", Integer.toString(config.registryPort()),
                "--apicurio-port", Integer.toString(config.apicurioPort()),
                "--broker-heap", config.brokerHeap(),
                "--registry-heap", config.registryHeap(),
                "--start-timeout", Long.toString(config.startTimeout().toSeconds()),
                "--stop-timeout", Long.toString(config.stopTimeout().toSeconds()));
    }
}
