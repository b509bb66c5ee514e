package io.headerlog.benchmarks.capture;

import io.headerlog.collector.bpf.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A paced, bounded UDP flood from host A to host B: fixed-size datagrams at a target rate for a fixed
 * time, each carrying its sequence number, so the exact number sent is known and consecutive packets
 * differ (as they do for a hash-based sampler). B has a bound socket that is never read: the flood
 * ends at B's veth and UDP layer, where the capture programs run, without a receiving application
 * competing for the two cores (datagrams past its buffer are dropped by the UDP layer, after capture).
 */
final class UdpFlood implements AutoCloseable {
    static final int PORT = 5301;
    /** Longest burst between pauses; parkNanos sleeps ~50-60 µs at least, so bursts carry the rate. */
    private static final int MAX_BURST = 512;
    private static final long PAUSE_NANOS = 20_000;

    /** What one flood sent. */
    record Result(long targetPerSecond, long sent, double seconds) {
        double sentPerSecond() {
            return sent / seconds;
        }
    }

    private final DatagramChannel sender;
    private final DatagramChannel sink;
    private final int payloadBytes;

    private UdpFlood(DatagramChannel sender, DatagramChannel sink, int payloadBytes) {
        this.sender = sender;
        this.sink = sink;
        this.payloadBytes = payloadBytes;
    }

    /** Opens the sink socket in B and the sending socket in A (sockets keep the namespace they were made in). */
    static UdpFlood open(BenchHosts hosts, int payloadBytes) {
        if (payloadBytes < Long.BYTES || payloadBytes > 1400) {
            throw new IllegalArgumentException("UDP payload must be 8..1400 bytes, got " + payloadBytes);
        }
        InetSocketAddress target = new InetSocketAddress(BenchHosts.ADDR_B, PORT);
        DatagramChannel sink = NetNs.call(hosts.nsB(), () -> openChannel(ch -> ch.bind(target)));
        try {
            DatagramChannel sender = NetNs.call(hosts.nsA(), () -> openChannel(ch -> ch.connect(target)));
            return new UdpFlood(sender, sink, payloadBytes);
        } catch (RuntimeException e) {
            closeQuietly(sink);
            throw e;
        }
    }

    private interface Setup {
        void apply(DatagramChannel ch) throws IOException;
    }

    private static DatagramChannel openChannel(Setup setup) {
        try {
            DatagramChannel ch = DatagramChannel.open();
            try {
                setup.apply(ch);
                return ch;
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the flood's UDP socket: " + e.getMessage(), e);
        }
    }

    /** Sends at {@code perSecond} (0: as fast as this thread can) for {@code duration}; returns what it sent. */
    Result run(long perSecond, Duration duration) {
        ByteBuffer buf = ByteBuffer.allocateDirect(payloadBytes);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        long now = start;
        try {
            while (now < end) {
                long due = perSecond == 0 ? sent + MAX_BURST : (long) ((now - start) * (perSecond / 1e9));
                long burst = Math.min(due - sent, MAX_BURST);
                for (long i = 0; i < burst; i++) {
                    buf.clear();
                    buf.putLong(0, sent);
                    sender.write(buf);
                    sent++;
                }
                now = System.nanoTime();
                if (perSecond != 0 && sent >= (long) ((now - start) * (perSecond / 1e9))) {
                    LockSupport.parkNanos(PAUSE_NANOS);
                    now = System.nanoTime();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the UDP flood failed after " + sent + " datagrams: " + e.getMessage(), e);
        }
        return new Result(perSecond, sent, (System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        closeQuietly(sender);
        closeQuietly(sink);
    }

    private static void closeQuietly(DatagramChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
