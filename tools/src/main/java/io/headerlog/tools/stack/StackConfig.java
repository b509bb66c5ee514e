package io.headerlog.tools.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where and how the local stack runs. Everything listens on 127.0.0.1 only.
 *
 * @param dataDir        one directory for the broker's log, the registry's database, logs and state
 * @param brokerPort     Kafka PLAINTEXT listener (the bootstrap servers)
 * @param controllerPort KRaft controller listener
 * @param registryPort   the Confluent-API proxy: http://127.0.0.1:registryPort is the registry URL
 * @param apicurioPort   Apicurio's own HTTP port, behind the proxy
 * @param brokerHeap     -Xmx of the broker JVM, e.g. 768m
 * @param registryHeap   -Xmx of the registry JVM, e.g. 512m
 * @param startTimeout   how long each child may take to become ready
 * @param stopTimeout    how long a child may take to exit after SIGTERM before it gets SIGKILL
 */
public record StackConfig(Path dataDir, int brokerPort, int controllerPort, int registryPort, int apicurioPort,
        String brokerHeap, String registryHeap, Duration startTimeout, Duration stopTimeout) {

    public static final String HOST = "127.0.0.1";
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/headerlog/stack");
    public static final int DEFAULT_BROKER_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_APICURIO_PORT = 18081;
    public static final String DEFAULT_BROKER_HEAP = "768m";
    public static final String DEFAULT_REGISTRY_HEAP = "512m";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(20);

    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[mMgG]");

    public StackConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        dataDir = dataDir.toAbsolutePath().normalize();
        Set<Integer> ports = new HashSet<>();
        for (int port : new int[] {brokerPort, controllerPort, registryPort, apicurioPort}) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 1-65535");
            }
            if (!ports.add(port)) {
                throw new IllegalArgumentException("port " + port + " is given twice: broker " + brokerPort
                        + ", controller " + controllerPort + ", registry " + registryPort + ", apicurio " + apicurioPort
                        + " must all differ");
            }
        }
        requireHeap("broker heap", brokerHeap);
        requireHeap("registry heap", registryHeap);
        requirePositive("start timeout", startTimeout);
        requirePositive("stop timeout", stopTimeout);
    }

    /** The defaults of `stack start`, in {@code dataDir}. */
    public static StackConfig defaults(Path dataDir) {
        return new StackConfig(dataDir, DEFAULT_BROKER_PORT, DEFAULT_CONTROLLER_PORT, DEFAULT_REGISTRY_PORT,
                DEFAULT_APICURIO_PORT, DEFAULT_BROKER_HEAP, DEFAULT_REGISTRY_HEAP, DEFAULT_START_TIMEOUT,
                DEFAULT_STOP_TIMEOUT);
    }

    /** Defaults on four currently free ports, for tests that run beside a stack on the default ports. */
    public static StackConfig onFreePorts(Path dataDir) {
        int[] ports = FreePorts.pick(4);
        return new StackConfig(dataDir, ports[0], ports[1], ports[2], ports[3], DEFAULT_BROKER_HEAP,
                DEFAULT_REGISTRY_HEAP, DEFAULT_START_TIMEOUT, DEFAULT_STOP_TIMEOUT);
    }

    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    public String registryUrl() {
        return "http://" + HOST + ":" + registryPort;
    }

    public String apicurioUrl() {
        return "http://" + HOST + ":" + apicurioPort;
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public Path stateFile() {
        return dataDir.resolve("stack.json");
    }

    private static void requireHeap(String what, String heap) {
        if (heap == null || !HEAP.matcher(heap).matches()) {
            throw new IllegalArgumentException(what + " '" + heap + "' is not a JVM heap size like 512m or 1g");
        }
    }

    private static void requirePositive(String what, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + duration);
        }
    }
}
