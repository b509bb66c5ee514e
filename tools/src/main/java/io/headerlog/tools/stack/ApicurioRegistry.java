package io.headerlog.tools.stack;

import io.headerlog.registry.CompatibilityLevel;
import io.headerlog.registry.RestSchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Apicurio Registry 3.0.9 as a child JVM with an H2 file database in the data directory, so
 * schemas and ids survive restarts.
 */
final class ApicurioRegistry {

    /** Where Apicurio serves the Confluent Schema Registry API. */
    static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    /** Written once the registry-wide defaults are set, so a user's later change is not overwritten. */
    private static final String DEFAULTS_MARKER = "defaults-applied";

    private final StackConfig config;
    private final StackInstall install;
    private final Path home;
    private boolean firstStart;
    private ChildProcess process;

    ApicurioRegistry(StackConfig config, StackInstall install) {
        this.config = config;
        this.install = install;
        this.home = config.dataDir().resolve("registry");
    }

    void start() {
        firstStart = !Files.exists(home.resolve(DEFAULTS_MARKER));
        ChildProcess.createDirectories(home);
        ChildProcess.createDirectories(home.resolve("tmp"));
        ChildProcess.createDirectories(config.logDir());
        process = ChildProcess.start("Apicurio registry", List.of(ChildProcess.javaExecutable().toString(),
                // C1 only and the serial GC: start-up 6-8 s instead of 11-19 s on a busy 2-core machine
                // (measured); the registry serves a few requests per schema, so peak speed does not matter.
                "-Xms128m", "-Xmx" + config.registryHeap(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.awt.headless=true",
                "-Dquarkus.http.host=" + StackConfig.HOST,
                "-Dquarkus.http.port=" + config.apicurioPort(),
                "-Dapicurio.datasource.url=jdbc:h2:file:" + home.resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE",
                // Apicurio opens 20 pooled H2 connections at start with a 5 s acquisition timeout; on a
                // busy 2-core machine that failed start-up (measured). Few connections, patient pool.
                "-Dapicurio.datasource.jdbc.initial-size=2",
                "-Dapicurio.datasource.jdbc.min-size=2",
                "-Dapicurio.datasource.jdbc.max-size=20",
                "-Dquarkus.datasource.h2.jdbc.acquisition-timeout=60S",
                // one log line per request would drown the start-up lines that explain failures
                "-Dquarkus.http.access-log.enabled=false",
                // Confluent compares schemas in canonical form: re-registering a reformatted schema is a no-op
                "-Dapicurio.ccompat.use-canonical-hash=true",
                // Vert.x keeps a file cache under java.io.tmpdir (/tmp/vertx-cache) that outlives the
                // process; keep it and every other temp file inside the stack's own directory
                "-Djava.io.tmpdir=" + home.resolve("tmp"),
                "-Dvertx.cacheDirBase=" + home.resolve("tmp").resolve("vertx-cache"),
                "-jar", install.apicurioJar().toString()),
                home, config.logDir().resolve("registry.log"));
    }

    /** Blocks until Apicurio's Confluent API answers; on the first start sets Confluent's default BACKWARD. */
    void awaitReady(long deadlineNanos) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        while (true) {
            if (!process.isAlive()) {
                throw new StackException("The Apicurio registry " + process.exitDescription() + " before it was ready"
                        + " (port " + config.apicurioPort() + " in use?)" + logs());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet: retry until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("Interrupted while waiting for the Apicurio registry", e);
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new StackException("The Apicurio registry did not answer at " + ccompatUrl() + " within "
                        + config.startTimeout().toSeconds() + " s" + logs());
            }
            KafkaBroker.sleep(250);
        }
        if (firstStart) {
            // Apicurio has no compatibility rule by default; Confluent's registry defaults to BACKWARD,
            // and the project's schemas are meant to evolve BACKWARD-compatibly.
            new RestSchemaRegistryClient(ccompatUrl()).setDefaultCompatibility(CompatibilityLevel.BACKWARD);
            try {
                Files.writeString(home.resolve(DEFAULTS_MARKER), "compatibility=BACKWARD\n");
            } catch (java.io.IOException e) {
                throw new StackException("Cannot write " + home.resolve(DEFAULTS_MARKER) + ": " + e.getMessage(), e);
            }
        }
    }

    void stop() {
        if (process != null) {
            process.stop(config.stopTimeout());
        }
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    String ccompatUrl() {
        return config.apicurioUrl() + CCOMPAT_PATH;
    }

    String logs() {
        return LogTail.describe(config.logDir().resolve("registry.log"), 20);
    }
}
