package io.headerlog.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The broker and registry that integration tests use. When the test command started one stack for
 * the whole run it passes {@code -Dheaderlog.it.bootstrap} and {@code -Dheaderlog.it.registry};
 * otherwise the first call starts a {@link LocalStack} on free ports in a temporary directory, once
 * per JVM, and a shutdown hook stops it and deletes the directory.
 */
public final class SharedStack {

    public static final String BOOTSTRAP_PROPERTY = "headerlog.it.bootstrap";
    public static final String REGISTRY_PROPERTY = "headerlog.it.registry";

    private SharedStack() {
    }

    /** Bootstrap servers of the shared broker, e.g. 127.0.0.1:9092. */
    public static String bootstrapServers() {
        return Holder.ENDPOINTS.bootstrapServers();
    }

    /** URL of the shared Confluent-API schema registry, e.g. http://127.0.0.1:8081. */
    public static String registryUrl() {
        return Holder.ENDPOINTS.registryUrl();
    }

    /** Whether this JVM started its own stack (false when the endpoints came from system properties). */
    public static boolean isOwnStack() {
        return Holder.ENDPOINTS.ownStack();
    }

    private record Endpoints(String bootstrapServers, String registryUrl, boolean ownStack) {
    }

    /** Lazy holder: the stack starts on first use, and only once even with parallel tests. */
    private static final class Holder {
        static final Endpoints ENDPOINTS = resolve();

        private static Endpoints resolve() {
            String bootstrap = System.getProperty(BOOTSTRAP_PROPERTY, "").trim();
            String registry = System.getProperty(REGISTRY_PROPERTY, "").trim();
            if (!bootstrap.isEmpty() && !registry.isEmpty()) {
                return new Endpoints(bootstrap, registry, false);
            }
            if (!bootstrap.isEmpty() || !registry.isEmpty()) {
                throw new IllegalStateException("Set both -D" + BOOTSTRAP_PROPERTY + " and -D" + REGISTRY_PROPERTY
                        + " (or neither, to start a private stack); got bootstrap='" + bootstrap + "' registry='"
                        + registry + "'");
            }
            Path dir;
            try {
                dir = Files.createTempDirectory("headerlog-it-stack-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for the test stack", e);
            }
            LocalStack stack;
            try {
                stack = LocalStack.start(StackConfig.onFreePorts(dir));
            } catch (RuntimeException e) {
                deleteRecursively(dir);
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.close();
                deleteRecursively(dir);
            }, "headerlog-shared-stack-stop"));
            return new Endpoints(stack.bootstrapServers(), stack.registryUrl(), true);
        }
    }

    /** Deletes a directory tree; best effort, for temporary directories. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("headerlog: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
