package io.headerlog.bench;

import io.headerlog.json.AvroJson;
import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.AvroSerdes;
import io.headerlog.serde.TestRecords;
import org.apache.kafka.common.serialization.Serde;

/**
 * Throughput of the collector's per-record work on one thread: Confluent serialization, JSON for
 * --sink stdout, and deserialization. A program, not a test: run it with
 * {@code java -cp <test classpath> io.headerlog.bench.SerdeBenchmark [records]}. Target: well over
 * 100k records/s each on one core.
 */
public final class SerdeBenchmark {

    private SerdeBenchmark() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        Serde<PacketHeader> serde = AvroSerdes.specific(PacketHeader.class, new InMemorySchemaRegistryClient(), false);
        PacketHeader header = TestRecords.httpRequest();
        byte[] bytes = serde.serializer().serialize("headers.raw", header);
        StringBuilder line = new StringBuilder(1024);
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                header.setMonoTimeNs(i);
                sink += serde.serializer().serialize("headers.raw", header).length;
            }
            report("serialize", records, start);

            start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                line.setLength(0);
                sink += AvroJson.append(line, header).length();
            }
            report("AvroJson", records, start);

            start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                sink += serde.deserializer().deserialize("headers.raw", bytes).getPacketLength();
            }
            report("deserialize", records, start);
        }
        System.out.println("(" + bytes.length + " bytes per record, " + line.length() + " JSON chars; checksum " + sink + ")");
    }

    private static void report(String what, int records, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%-12s %,12.0f records/s%n", what, records / seconds);
    }
}
