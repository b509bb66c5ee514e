package io.headerlog.tools.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * The single-node KRaft broker (combined broker + controller) as a child JVM running kafka.Kafka.
 *
 * <p>Automatic topic creation is off: the project creates its topics explicitly (Topics.ensureTopics)
 * with the partition counts the streams app relies on, and a typo in a consumer's topic name should
 * fail instead of creating an empty one-partition topic.
 */
final class KafkaBroker {

    private static final String FORMAT_MARKER = "meta.properties";

    private final StackConfig config;
    private final StackInstall install;
    private final Path home;
    private ChildProcess process;

    KafkaBroker(StackConfig config, StackInstall install) {
        this.config = config;
        this.install = install;
        this.home = config.dataDir().resolve("kafka");
    }

    /** Writes the configuration, formats the storage on first use and starts the broker (does not wait). */
    void start() {
        Path data = home.resolve("data");
        ChildProcess.createDirectories(data);
        ChildProcess.createDirectories(config.logDir());
        Path properties = home.resolve("server.properties");
        Path log4j = home.resolve("log4j2.xml");
        write(properties, serverProperties(data));
        write(log4j, log4jConfig(config.logDir().resolve("kafka.log")));
        if (!Files.exists(data.resolve(FORMAT_MARKER))) {
            ChildProcess.runToCompletion("Kafka storage format", List.of(ChildProcess.javaExecutable().toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=" + log4j, "-cp", install.kafkaClassPath(),
                    "kafka.tools.StorageTool", "format", "--standalone", "-t", Uuid.randomUuid().toString(),
                    "-c", properties.toString()), home, config.logDir().resolve("kafka-format.out"), Duration.ofSeconds(60));
            write(home.resolve("formatted-controller-port"), Integer.toString(config.controllerPort()));
        } else {
            requireSameControllerPort();
        }
        process = ChildProcess.start("Kafka broker", List.of(ChildProcess.javaExecutable().toString(),
                "-Xms256m", "-Xmx" + config.brokerHeap(), "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + log4j,
                "-cp", install.kafkaClassPath(), "kafka.Kafka", properties.toString()),
                home, config.logDir().resolve("kafka.out"));
    }

    /** Blocks until the broker answers describeCluster, or fails with its last log lines. */
    void awaitReady(long deadlineNanos) {
        Map<String, Object> settings = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        try (Admin admin = Admin.create(settings)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new StackException("The Kafka broker " + process.exitDescription() + " before it was ready"
                            + " (port " + config.brokerPort() + " or " + config.controllerPort() + " in use?)" + logs());
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not listening yet: retry until the deadline
                }
                if (System.nanoTime() > deadlineNanos) {
                    throw new StackException("The Kafka broker did not answer at " + config.bootstrapServers()
                            + " within " + config.startTimeout().toSeconds() + " s" + logs());
                }
                sleep(250);
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

    String logs() {
        return LogTail.describe(config.logDir().resolve("kafka.log"), 15) + LogTail.describe(config.logDir().resolve("kafka.out"), 10);
    }

    String serverProperties(Path data) {
        String host = StackConfig.HOST;
        return String.join("\n",
                "# written by headerlog LocalStack at every start; edits are overwritten",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=" + host + ":" + config.controllerPort(),
                "listeners=PLAINTEXT://" + host + ":" + config.brokerPort() + ",CONTROLLER://" + host + ":" + config.controllerPort(),
                "advertised.listeners=PLAINTEXT://" + host + ":" + config.brokerPort(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=1",
                "default.replication.factor=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=6",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // a single-member consumer group should not wait 3 s before it gets partitions
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                "log.segment.bytes=268435456",
                "");
    }

    static String log4jConfig(Path logFile) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="WARN">
                  <Appenders>
                    <RollingFile name="file" fileName="%1$s" filePattern="%1$s.%%i">
                      <PatternLayout pattern="[%%d] %%p %%m (%%c)%%n"/>
                      <SizeBasedTriggeringPolicy size="20 MB"/>
                      <DefaultRolloverStrategy max="3"/>
                    </RollingFile>
                  </Appenders>
                  <Loggers>
                    <Root level="INFO"><AppenderRef ref="file"/></Root>
                    <Logger name="kafka.request.logger" level="WARN"/>
                    <Logger name="org.apache.kafka.clients" level="WARN"/>
                  </Loggers>
                </Configuration>
                """.formatted(logFile);
    }

    private void requireSameControllerPort() {
        Path marker = home.resolve("formatted-controller-port");
        if (!Files.exists(marker)) {
            return;
        }
        try {
            int formatted = Integer.parseInt(Files.readString(marker).trim());
            if (formatted != config.controllerPort()) {
                throw new StackException("The Kafka storage in " + home + " was formatted for controller port " + formatted
                        + " (the KRaft quorum remembers it); start with --controller-port " + formatted
                        + " or use a fresh --data-dir");
            }
        } catch (IOException | NumberFormatException e) {
            throw new StackException("Cannot read " + marker + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StackException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while waiting for the local stack", e);
        }
    }
}
