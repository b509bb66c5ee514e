package io.headerlog.collector.bpf;

import static io.headerlog.testing.Protocols.*;

import io.headerlog.collector.decode.PacketHash;
import io.headerlog.testing.PacketBuilder;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Kernel run time per packet of the capture program on each of its paths, measured with
 * BPF_PROG_TEST_RUN (the kernel times {@code repeat} runs on one frame and reports the mean): a bulk
 * TCP segment recorded at rate 1, the same kind of segment sampled out at rate 100 (with and without
 * flow counters), a packet dropped by a port filter, a packet that passes address rules, a non-IP
 * frame. Each path is confirmed by the counters it moves. Prints the median of several rounds and the
 * ratio to the rate-1 path.
 *
 * <p>Run as root (after {@code mvn -pl collector test-compile dependency:build-classpath
 * -Dmdep.outputFile=cp.txt}): {@code java -cp collector/target/classes:collector/target/test-classes:$(cat
 * collector/cp.txt) io.headerlog.collector.bpf.KernelCostBenchmark [repeat] [rounds]}
 */
public final class KernelCostBenchmark {

    private static final int RING = 1 << 26;

    private KernelCostBenchmark() {}

    public static void main(String[] args) throws Exception {
        int repeat = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        CaptureConfig base = new CaptureConfig(CaptureConfig.DEFAULT_SNAP_LEN, RING, 0);
        InetAddress a = InetAddress.getByName("198.18.0.1");
        InetAddress b = InetAddress.getByName("198.18.0.2");
        byte[] sampledIn = bulkSegment(a, b, true);
        byte[] sampledOut = bulkSegment(a, b, false);
        System.out.printf(Locale.ROOT, "kernel ns per packet, BPF_PROG_TEST_RUN, median of %d rounds x %d runs, %d-byte"
                + " TCP segment (snap %d)%n", rounds, repeat, sampledIn.length, CaptureConfig.DEFAULT_SNAP_LEN);

        double rate1 = measure(base, p -> { }, sampledIn, repeat, rounds,
                d -> d.submitted());
        report("bulk TCP, rate 1: recorded", rate1, rate1);
        report("bulk TCP, rate 100: sampled out", measure(base.withSampleRate(100), p -> { }, sampledOut, repeat, rounds,
                d -> d.sampledOut()), rate1);
        report("bulk TCP, rate 100: sampled out, no flows", measure(base.withSampleRate(100).withFlowEntries(0),
                p -> { }, sampledOut, repeat, rounds, d -> d.sampledOut()), rate1);
        report("filtered out (port deny)", measure(base, p -> p.filters().denyPort(5001), sampledIn, repeat, rounds,
                d -> d.filtered()), rate1);
        report("rate 1 behind 3 address rules", measure(base, p -> {
            p.filters().allowCidr("198.18.0.0/15");
            p.filters().denyCidr("198.18.5.0/24");
            p.filters().denyPort(22);
        }, sampledIn, repeat, rounds, d -> d.submitted()), rate1);
        byte[] nonIp = PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").nonIp(0x88b5).payload(new byte[100])
                .build();
        report("non-IP frame, rate 1: recorded", measure(base, p -> { }, nonIp, repeat, rounds, d -> d.submitted()), rate1);
    }

    /** A 1514-byte IPv4 TCP ACK with timestamps and bulk (not L7) payload whose label is (not) selected at rate 100. */
    private static byte[] bulkSegment(InetAddress a, InetAddress b, boolean selectedAt100) {
        byte[] payload = new byte[1448];
        Arrays.fill(payload, (byte) 0x5a);
        for (long seq = 1; ; seq += 1448) {
            long h = PacketHash.hash(4, IPPROTO_TCP, a.getAddress(), 0, b.getAddress(), 0, 4, 40000, 5001, 7, seq, 1, TH_ACK,
                    1000, 2000, 0, 0, 0, 0, payload.length, PacketHash.prefixWord(payload, 0, 8, payload.length));
            if (PacketHash.keep(h, 100) == selectedAt100) {
                return PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(a, b).ipId(7).tcp(40000, 5001)
                        .seq(seq).ack(1).flags(TH_ACK).nop().nop().timestamps(1000, 2000).payload(payload).build();
            }
        }
    }

    private interface Path {
        long of(KernelCounters delta);
    }

    private static double measure(CaptureConfig config, Consumer<CaptureProgram> setUp, byte[] frame,
            int repeat, int rounds, Path path) {
        try (CaptureProgram program = CaptureProgram.load(config)) {
            setUp.accept(program);
            RingBufferReader reader = program.ringReader();
            double[] ns = new double[rounds];
            // Warm-up that writes the whole ring twice: the first write to each ring page costs several
            // microseconds on a VM whose memory the host backs lazily, which is not what a running
            // collector's ring (written over and over) sees.
            for (long written = 0; written < 2L * RING; written += (long) repeat * (8 + EventLayout.SIZE + 512)) {
                ProgramTestRun.run(program, Direction.INGRESS, frame, repeat);
                drain(reader);
            }
            for (int r = 0; r < rounds; r++) {
                KernelCounters before = program.readCounters();
                ns[r] = ProgramTestRun.run(program, Direction.INGRESS, frame, repeat).nsPerRun();
                KernelCounters d = program.readCounters().minus(before);
                if (path.of(d) != repeat || d.seen() != repeat) {
                    throw new IllegalStateException("expected " + repeat + " runs on the measured path, counters say " + d);
                }
                drain(reader);
            }
            Arrays.sort(ns);
            return ns[rounds / 2];
        }
    }

    private static void drain(RingBufferReader reader) {
        while (reader.drain((d, o, l) -> { }, 1 << 16) > 0) {
            // discard
        }
    }

    private static void report(String name, double ns, double rate1) {
        System.out.printf(Locale.ROOT, "  %-45s %7.1f ns  %5.2f x rate 1%n", name, ns, ns / rate1);
    }
}
