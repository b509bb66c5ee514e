package io.headerlog.tools.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real single-node Kafka broker (KRaft) and Apicurio Registry 3.0.9 as child processes of this
 * JVM, with the Confluent-API proxy on the registry port, all on 127.0.0.1 and all state in one
 * data directory. {@link #start} returns when both answer; {@link #close} stops everything.
 *
 * <p>A file lock in the data directory keeps two stacks from sharing it.
 */
public final class LocalStack implements AutoCloseable {

    private final StackConfig config;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final KafkaBroker broker;
    private final ApicurioRegistry registry;
    private final RegistryProxy proxy;
    private final Duration brokerStartup;
    private final Duration registryStartup;
    private boolean closed;

    private LocalStack(StackConfig config, FileChannel lockChannel, FileLock lock, KafkaBroker broker,
            ApicurioRegistry registry, RegistryProxy proxy, Duration brokerStartup, Duration registryStartup) {
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.broker = broker;
        this.registry = registry;
        this.proxy = proxy;
        this.brokerStartup = brokerStartup;
        this.registryStartup = registryStartup;
    }

    /** Starts the stack with the programs found by {@link StackInstall#locate()}. */
    public static LocalStack start(StackConfig config) {
        return start(config, StackInstall.locate());
    }

    /** Starts broker, registry and proxy, and waits until all answer; on failure stops what was started. */
    public static LocalStack start(StackConfig config, StackInstall install) {
        ChildProcess.createDirectories(config.dataDir());
        ChildProcess.createDirectories(config.logDir());
        FileChannel channel = null;
        FileLock lock = null;
        KafkaBroker broker = null;
        ApicurioRegistry registry = null;
        RegistryProxy proxy = null;
        try {
            channel = FileChannel.open(config.dataDir().resolve("stack.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = tryLock(channel, config);
            requireFreePorts(config);
            long deadline = System.nanoTime() + config.startTimeout().toNanos();
            proxy = RegistryProxy.start(StackConfig.HOST, config.registryPort(), URI.create(config.apicurioUrl()));
            broker = new KafkaBroker(config, install);
            registry = new ApicurioRegistry(config, install);
            // Both JVMs start in parallel, the slower registry first, so its ~5-10 s overlap the
            // broker's storage format and start-up.
            long registryLaunch = System.nanoTime();
            registry.start();
            long brokerLaunch = System.nanoTime();
            broker.start();
            broker.awaitReady(deadline);
            Duration brokerStartup = Duration.ofNanos(System.nanoTime() - brokerLaunch);
            registry.awaitReady(deadline);
            Duration registryStartup = Duration.ofNanos(System.nanoTime() - registryLaunch);
            return new LocalStack(config, channel, lock, broker, registry, proxy, brokerStartup, registryStartup);
        } catch (IOException e) {
            stopAll(proxy, registry, broker, lock, channel);
            throw new StackException("Cannot lock " + config.dataDir().resolve("stack.lock") + ": " + e.getMessage()
                    + "; pass a writable --data-dir", e);
        } catch (RuntimeException e) {
            stopAll(proxy, registry, broker, lock, channel);
            throw e;
        }
    }

    public StackConfig config() {
        return config;
    }

    /** The broker's bootstrap servers, e.g. 127.0.0.1:9092. */
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** The Confluent-API registry URL (the proxy), e.g. http://127.0.0.1:8081. */
    public String registryUrl() {
        return config.registryUrl();
    }

    /** Apicurio's own Confluent-API URL behind the proxy. */
    public String apicurioCcompatUrl() {
        return registry.ccompatUrl();
    }

    public long brokerPid() {
        return broker.pid();
    }

    public long registryPid() {
        return registry.pid();
    }

    /** From launching the broker JVM until it answered describeCluster. */
    public Duration brokerStartup() {
        return brokerStartup;
    }

    /** From launching the registry JVM until its Confluent API answered (in parallel with the broker). */
    public Duration registryStartup() {
        return registryStartup;
    }

    /** Stops proxy, registry and broker (SIGTERM, then SIGKILL after the stop timeout) and releases the data dir. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopAll(proxy, registry, broker, lock, lockChannel);
    }

    private static FileLock tryLock(FileChannel channel, StackConfig config) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new StackException("Another local stack is using " + config.dataDir() + "; stop it with"
                    + " `./headerlog stack stop --data-dir " + config.dataDir() + "` or pass another --data-dir");
        }
        return lock;
    }

    private static void requireFreePorts(StackConfig config) {
        List<String> busy = new ArrayList<>();
        addIfBusy(busy, "broker", config.brokerPort(), "--broker-port");
        addIfBusy(busy, "controller", config.controllerPort(), "--controller-port");
        addIfBusy(busy, "registry", config.registryPort(), "--registry-port");
        addIfBusy(busy, "apicurio", config.apicurioPort(), "--apicurio-port");
        if (!busy.isEmpty()) {
            throw new StackException("Ports in use on " + StackConfig.HOST + ": " + String.join(", ", busy)
                    + ". Is a stack already running (`./headerlog stack status`)? Stop it, or choose other ports.");
        }
    }

    private static void addIfBusy(List<String> busy, String what, int port, String option) {
        if (!FreePorts.isFree(port)) {
            busy.add(port + " (" + what + ", " + option + ")");
        }
    }

    private static void stopAll(RegistryProxy proxy, ApicurioRegistry registry, KafkaBroker broker, FileLock lock,
            FileChannel channel) {
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.stop();
        }
        if (broker != null) {
            broker.stop();
        }
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the lock goes away with the channel or the process anyway
        }
    }

    /** Where the children write their output; shown to users when something fails. */
    public Path logDir() {
        return config.logDir();
    }
}
