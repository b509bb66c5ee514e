package io.headerlog.collector.bpf;

import java.util.Locale;

/**
 * Records per second that {@link RingBufferReader#drain} gets through, on a synthetic ring laid out
 * like the kernel's (no kernel involved, so this is the reader's own ceiling).
 *
 * <p>Two runs per record size: "drain" fills the ring, then times draining it; "concurrent" has a
 * producer thread publishing while the reader drains (the collector's real situation, minus the
 * kernel). The handler reads three fields of each record, as a decoder would start to.
 *
 * <p>Run (after {@code mvn -pl collector test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt}):
 * {@code java -cp collector/target/classes:collector/target/test-classes:$(cat collector/cp.txt)
 * io.headerlog.collector.bpf.RingDrainBenchmark [seconds]}
 */
public final class RingDrainBenchmark {

    private static final int RING = 8 << 20;
    private static volatile long sink;

    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        System.out.printf(Locale.ROOT, "ring %d MiB, %.1f s per run%n", RING >> 20, seconds);
        for (int payload : new int[] {0, 128, 512}) {
            int record = EventLayout.SIZE + payload;
            drainOnly(record, seconds / 2); // warm-up
            report("drain", record, drainOnly(record, seconds));
            report("concurrent", record, concurrent(record, seconds));
        }
        System.out.println("concurrent: bounded by the Java producer thread (two copies per record into the"
                + " emulated double mapping), not by the reader");
    }

    private static void report(String mode, int record, double[] result) {
        System.out.printf(Locale.ROOT, "%-10s record %5d B: %6.2f M records/s, %6.2f GB/s%n", mode, record,
                result[0] / 1e6, result[0] * record / 1e9);
    }

    private static long consume(java.nio.ByteBuffer data, int offset, int length) {
        return data.getLong(offset + EventLayout.MONO_NS) + data.getInt(offset + EventLayout.PKT_LEN)
                + data.getShort(offset + EventLayout.SNAP_LEN) + length;
    }

    /** Returns {records/s}. */
    private static double[] drainOnly(int record, double seconds) {
        SyntheticRing ring = new SyntheticRing(RING);
        byte[] bytes = sample(record);
        long[] acc = {0};
        RecordHandler handler = (data, offset, length) -> acc[0] += consume(data, offset, length);
        long drained = 0;
        long nanos = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        try (RingBufferReader reader = RingBufferReader.overBuffers(ring.consumer())) {
            while (System.nanoTime() < end) {
                while (ring.publish(bytes) >= 0) {
                    // fill the ring
                }
                long t0 = System.nanoTime();
                int n;
                while ((n = reader.drain(handler, 4096)) > 0) {
                    drained += n;
                }
                nanos += System.nanoTime() - t0;
            }
        }
        sink = acc[0];
        return new double[] {drained / (nanos / 1e9)};
    }

    private static double[] concurrent(int record, double seconds) throws InterruptedException {
        SyntheticRing ring = new SyntheticRing(RING);
        byte[] bytes = sample(record);
        long[] acc = {0};
        RecordHandler handler = (data, offset, length) -> acc[0] += consume(data, offset, length);
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long[] produced = {0};
        Thread producer = new Thread(() -> {
            while (System.nanoTime() < deadline) {
                if (ring.publish(bytes) >= 0) {
                    produced[0]++;
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "synthetic-producer");
        long drained = 0;
        long t0 = System.nanoTime();
        producer.start();
        try (RingBufferReader reader = RingBufferReader.overBuffers(ring.consumer())) {
            while (producer.isAlive() || reader.pendingBytes() > 0) {
                int n = reader.drain(handler, 4096);
                if (n == 0) {
                    Thread.onSpinWait();
                }
                drained += n;
            }
        }
        producer.join();
        long nanos = System.nanoTime() - t0;
        if (drained != produced[0]) {
            throw new IllegalStateException("drained " + drained + " records but " + produced[0] + " were produced");
        }
        sink = acc[0];
        return new double[] {drained / (nanos / 1e9)};
    }

    private static byte[] sample(int record) {
        byte[] b = new byte[record];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    private RingDrainBenchmark() {}
}
