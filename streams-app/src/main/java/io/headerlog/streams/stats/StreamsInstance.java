package io.headerlog.streams.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which running instance a StreamsStats record describes. Instances of one application share the
 * work and each counts only its own tasks, so the record key names both: a reader sums the latest
 * record of every instance of an application.
 *
 * @param applicationId the Kafka Streams application id
 * @param instanceId    host name and process id ({@code host:pid}); a second app started in the same
 *                      process (tests, the benchmark) gets {@code host:pid#2} and so on
 * @param startedAtNs   epoch ns the instance started
 */
public record StreamsInstance(String applicationId, String instanceId, long startedAtNs) {
    private static final AtomicInteger STARTED_IN_THIS_PROCESS = new AtomicInteger();

    public StreamsInstance {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(instanceId, "instanceId");
    }

    /** This process's next instance of {@code applicationId}, started now. */
    public static StreamsInstance startingNow(String applicationId) {
        int n = STARTED_IN_THIS_PROCESS.incrementAndGet();
        String id = hostName() + ":" + ProcessHandle.current().pid() + (n == 1 ? "" : "#" + n);
        return new StreamsInstance(applicationId, id, EpochNanos.now());
    }

    /** The record key on streams.stats: {@code applicationId/instanceId}. */
    public String key() {
        return applicationId + "/" + instanceId;
    }

    /*
     * The kernel's host name, read locally: InetAddress.getLocalHost() may ask DNS, which must not
     * delay (or leave the machine from) a stats publisher.
     */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }
}
