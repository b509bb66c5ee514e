package io.headerlog.benchmarks.capture;

import io.headerlog.tools.stack.LocalStack;
import io.headerlog.tools.stack.SharedStack;
import io.headerlog.tools.stack.StackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The broker and registry the collector publishes to: given on the command line, or a local stack
 * (Kafka 4.3.1 + Apicurio) that this benchmark starts on free ports in a temporary directory and
 * removes again.
 */
public final class Endpoints implements AutoCloseable {
    private final String bootstrapServers;
    private final String registryUrl;
    private final Optional<LocalStack> stack;
    private final Optional<Path> stackDir;

    private Endpoints(String bootstrapServers, String registryUrl, Optional<LocalStack> stack, Optional<Path> stackDir) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.stack = stack;
        this.stackDir = stackDir;
    }

    static Endpoints of(BenchmarkConfig.KafkaAddress given) {
        return of(given.bootstrapServers(), given.registryUrl());
    }

    /** A broker and registry that are already running (the benchmark's -b and -r). */
    public static Endpoints of(String bootstrapServers, String registryUrl) {
        return new Endpoints(bootstrapServers, registryUrl, Optional.empty(), Optional.empty());
    }

    public static Endpoints startLocalStack() {
        Path dir;
        try {
            dir = Files.createTempDirectory("headerlog-bench-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the local stack: " + e.getMessage(), e);
        }
        try {
            LocalStack stack = LocalStack.start(StackConfig.onFreePorts(dir));
            Endpoints e = new Endpoints(stack.bootstrapServers(), stack.registryUrl(), Optional.of(stack), Optional.of(dir));
            Runtime.getRuntime().addShutdownHook(e.hook);
            return e;
        } catch (RuntimeException e) {
            SharedStack.deleteRecursively(dir);
            throw e;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** Whether this benchmark started the broker (and may leave its topics to die with it). */
    public boolean ownStack() {
        return stack.isPresent();
    }

    /** The broker's pid when this benchmark started it. */
    Optional<Long> brokerPid() {
        return stack.map(LocalStack::brokerPid);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already (the hook runs stop itself), or no hook was added
        }
    }

    /** Ctrl-C: the stack's children die with this JVM anyway; the hook also removes their data. */
    private final Thread hook = new Thread(this::stop, "bench-stack-cleanup");

    private synchronized void stop() {
        stack.ifPresent(LocalStack::close);
        stackDir.ifPresent(SharedStack::deleteRecursively);
    }
}
