package io.headerlog.benchmarks.capture;

import io.headerlog.benchmarks.capture.CollectorRun.Sink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What one CaptureBenchmark run measures, validated. Every phase is bounded: a fixed number of runs
 * of a fixed length, a fixed number of producer records.
 *
 * @param tcpRuns         iperf3 TCP runs per attachment (the median is reported)
 * @param tcpSeconds      length of each TCP run
 * @param udpMaxSeconds   length of the unpaced UDP run per attachment (packets/s the host manages); 0 skips it
 * @param floodRates      offered UDP packets/s for the collector-to-Kafka and tcpdump phases
 * @param floodSeconds    length of each paced flood
 * @param warmupSeconds   length of the slower flood that warms each new collector JVM up (JIT) before it is measured
 * @param jitSettleSeconds at most this long, uncounted TCP runs after that flood until the collector's JIT compilers
 *                        are quiet (the throughput phase measures a collector's steady state); at least one run
 * @param floodPayload    UDP payload bytes of the floods
 * @param sampleRates     collector --sample-rate values for the throughput phase (used when the collector has the flag)
 * @param sinks           collector sinks in the throughput phase (kafka; stdout to /dev/null as a second variant)
 * @param kafka           broker and registry to use, or empty to start a local stack on free ports
 * @param collectorJar    the collector jar to run
 * @param collectorHeap   its -Xmx
 * @param collectorArgs   extra collector arguments, passed through unchanged
 * @param perfRecords     records ProducerPerformance sends
 * @param tcpdump         whether to run the tcpdump comparison
 */
record BenchmarkConfig(
        String mode,
        int tcpRuns,
        int tcpSeconds,
        int udpMaxSeconds,
        List<Long> floodRates,
        int floodSeconds,
        int warmupSeconds,
        int jitSettleSeconds,
        int floodPayload,
        List<Integer> sampleRates,
        List<Sink> sinks,
        Optional<KafkaAddress> kafka,
        Path collectorJar,
        String collectorHeap,
        List<String> collectorArgs,
        long perfRecords,
        boolean tcpdump) {

    /** A broker and registry given on the command line. */
    record KafkaAddress(String bootstrapServers, String registryUrl) {}

    BenchmarkConfig {
        floodRates = List.copyOf(floodRates);
        sampleRates = List.copyOf(sampleRates);
        sinks = List.copyOf(sinks);
        collectorArgs = List.copyOf(collectorArgs);
        requireRange("--tcp-runs", tcpRuns, 1, 100);
        requireRange("--tcp-seconds", tcpSeconds, 1, 60);
        requireRange("--udp-max-seconds", udpMaxSeconds, 0, 60);
        requireRange("--flood-seconds", floodSeconds, 1, 60);
        requireRange("--warmup-seconds", warmupSeconds, 0, 60);
        requireRange("--jit-settle-seconds", jitSettleSeconds, 0, 600);
        requireRange("--flood-payload", floodPayload, 8, 1400);
        if (floodRates.isEmpty() || floodRates.size() > 12) {
            throw new IllegalArgumentException("--flood-rates needs 1 to 12 rates, got " + floodRates.size());
        }
        for (long r : floodRates) {
            if (r < 1_000 || r > 5_000_000) {
                throw new IllegalArgumentException("--flood-rates takes packets/s between 1000 and 5000000, got " + r);
            }
        }
        for (int n : sampleRates) {
            requireRange("--sample-rates", n, 1, 1 << 20);
        }
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("--sinks needs kafka, stdout or both");
        }
        if (!Files.isRegularFile(collectorJar)) {
            throw new IllegalArgumentException("collector jar " + collectorJar + " does not exist; build it with"
                    + " `mvn -pl collector package -DskipTests` or pass --collector-jar");
        }
        if (!collectorHeap.matches("[1-9][0-9]*[mMgG]")) {
            throw new IllegalArgumentException("--collector-heap '" + collectorHeap + "' is not a heap size like 512m");
        }
        if (perfRecords < 10_000 || perfRecords > 50_000_000) {
            throw new IllegalArgumentException("--perf-records must be 10000..50000000, got " + perfRecords);
        }
    }

    /**
     * Roughly how long the run takes at most, for the banner (collector start-up included; a collector's
     * JIT warm-up counted at its limit).
     */
    long estimatedSeconds(int attachments, int collectors, boolean kafkaStarted) {
        // each run paired with a reference run; then one TCP and one UDP run for the kernel run time
        long perAttachment = 2L * tcpRuns * (tcpSeconds + 1) + 2L * udpMaxSeconds + tcpSeconds + 8;
        long warmups = (long) collectors * (warmupSeconds + jitSettleSeconds);
        long flood = (long) floodRates.size() * (floodSeconds + warmupSeconds + 8) + (tcpdump ? floodRates.size() * (floodSeconds + 3L) : 0);
        return (kafkaStarted ? 20 : 0) + attachments * perAttachment + warmups + flood + perfRecords / 100_000 + 10;
    }

    private static void requireRange(String option, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", got " + v);
        }
    }
}
