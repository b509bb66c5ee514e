package io.headerlog.benchmarks.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own producer benchmark ({@code org.apache.kafka.tools.ProducerPerformance}, kafka-tools
 * 4.3.1) in a child JVM against the same broker: the producer-throughput limit the collector's
 * records/s are compared with.
 */
final class ProducerPerf {
    private ProducerPerf() {}

    static final String MAIN = "org.apache.kafka.tools.ProducerPerformance";
    /**
     * The producer settings of the collector's KafkaSink (KafkaSink.producerProperties), so both
     * producers batch, compress and acknowledge alike.
     */
    static final List<String> SINK_PRODUCER_PROPS = List.of("acks=all", "enable.idempotence=true",
            "compression.type=lz4", "linger.ms=20", "batch.size=262144", "buffer.memory=67108864");
    /** The final line: "N records sent, R records/sec (M MB/sec), … 50th, …" (interim lines have no percentiles). */
    private static final Pattern FINAL = Pattern.compile(
            "^(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\).*50th");

    /** What ProducerPerformance reported. */
    record Result(long records, double recordsPerSecond, double megabytesPerSecond, int recordBytes) {}

    static Result run(String bootstrapServers, String topic, long records, int recordBytes, Duration timeout) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), MAIN,
                "--topic", topic, "--num-records", Long.toString(records), "--record-size", Integer.toString(recordBytes),
                "--throughput", "-1", "--command-property", "bootstrap.servers=" + bootstrapServers));
        cmd.addAll(SINK_PRODUCER_PROPS);
        try (Child child = Child.start("ProducerPerformance", cmd, true)) {
            int exit = child.waitFor(timeout);
            String line = child.lastLine(l -> FINAL.matcher(l).find()).orElseThrow(() -> new IllegalStateException(
                    "ProducerPerformance (exit " + exit + ") printed no final line; its output: "
                            + String.join(" | ", child.tail(6))));
            return parse(line, recordBytes);
        }
    }

    static Result parse(String line, int recordBytes) {
        Matcher m = FINAL.matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("not ProducerPerformance's final line: " + line);
        }
        return new Result(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                recordBytes);
    }
}
