package io.headerlog.collector;

import io.headerlog.collector.CpuPriority.Policy;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Runs the collector's user space at idle priority while it keeps up, and at normal priority while
 * records back up in the ring.
 *
 * <p>Why: on a busy host every wakeup of a normal-priority collector thread may preempt the host's own
 * work on that CPU. Measured with iperf3 between two namespace hosts on 2 cores (collector at 1/100
 * publishing to Kafka): with the collector at normal priority, or niced to 10, the host kept
 * 0.94–0.95 of its unmonitored TCP throughput; at SCHED_IDLE 0.97, as much as with no user space
 * reading at all. The kernel side keeps every count exact whatever user space does and the ring
 * absorbs a reader that runs late, so idle priority costs records only when the host leaves the
 * collector no CPU at all for long. That is what the boost is for: once the ring holds
 * {@code boostAtBytes} the collector's threads go back to normal priority (the niceness it was
 * started with), and return to idle priority only after the backlog has stayed below
 * {@code relaxBelowBytes} for {@code relaxAfterNanos}. Loss is still possible if even that is not
 * enough, and is counted (ring_full) and warned about like any other.
 */
public final class AdaptivePriority {

    private final Consumer<Policy> scheduler;
    private final long boostAtBytes;
    private final long relaxBelowBytes;
    private final long relaxAfterNanos;
    private final PrintStream log;
    private boolean boosted;
    private long calmSince;
    private long boosts;

    AdaptivePriority(Consumer<Policy> scheduler, long boostAtBytes, long relaxBelowBytes, long relaxAfterNanos,
            PrintStream log) {
        if (boostAtBytes <= 0 || relaxBelowBytes <= 0 || relaxBelowBytes > boostAtBytes || relaxAfterNanos < 0) {
            throw new IllegalArgumentException("need 0 < relaxBelowBytes <= boostAtBytes and relaxAfterNanos >= 0, got "
                    + relaxBelowBytes + ", " + boostAtBytes + ", " + relaxAfterNanos);
        }
        this.scheduler = scheduler;
        this.boostAtBytes = boostAtBytes;
        this.relaxBelowBytes = relaxBelowBytes;
        this.relaxAfterNanos = relaxAfterNanos;
        this.log = log;
    }

    /**
     * For a ring of {@code ringBytes}: boost at an eighth full (before the kernel's early wakeup at a
     * quarter), back to idle after 5 s below 1/64. Fails if this process could not boost: idle
     * priority without a way back would let a busy host starve the collector.
     */
    public static AdaptivePriority forRing(int ringBytes, PrintStream log) {
        if (!CpuPriority.mayLeaveIdle()) {
            throw new IllegalStateException("idle CPU priority needs a way back to normal, which takes root or"
                    + " CAP_SYS_NICE (grant it, or pass --cpu-priority normal to silence this)");
        }
        return new AdaptivePriority(CpuPriority::setAllThreads, ringBytes / 8, ringBytes / 64, 5_000_000_000L, log);
    }

    /**
     * Puts every thread at idle priority; call it before the collector starts its own threads. If that
     * fails part way, the threads already switched go back to normal priority before the failure is
     * thrown, so a caller that carries on runs wholly at the priority it was started with.
     */
    public void start() {
        try {
            scheduler.accept(Policy.IDLE);
        } catch (RuntimeException e) {
            try {
                scheduler.accept(Policy.NORMAL);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** The bytes waiting in the ring when the reader woke up, at {@code nowNanos} ({@link System#nanoTime}). */
    public void observe(long pendingBytes, long nowNanos) {
        if (!boosted) {
            if (pendingBytes >= boostAtBytes) {
                scheduler.accept(Policy.NORMAL);
                boosted = true;
                boosts++;
                calmSince = nowNanos;
                log.println("headerlog: " + pendingBytes + " bytes wait in the ring: normal CPU priority until"
                        + " the backlog is gone (idle priority while keeping up)");
            }
            return;
        }
        if (pendingBytes >= relaxBelowBytes) {
            calmSince = nowNanos;
        } else if (nowNanos - calmSince >= relaxAfterNanos) {
            scheduler.accept(Policy.IDLE);
            boosted = false;
        }
    }

    /** Whether the threads currently run at normal priority. */
    public boolean boosted() {
        return boosted;
    }

    /** How often the collector has gone to normal priority. */
    public long boosts() {
        return boosts;
    }
}
