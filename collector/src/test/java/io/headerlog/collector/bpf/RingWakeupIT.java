package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.CaptureRig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wakeup policy: records are submitted without waking the reader until {@code wakeupBytes} wait
 * in the ring. The margins are wide; what matters is woken-at-once versus slept-until-timeout.
 */
class RingWakeupIT {

    private static final int TIMEOUT_MS = 3000;

    @BeforeAll
    static void requireRoot() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
    }

    /** Returns how long awaitData took when one frame arrives while it waits. */
    private static long waitWhileOneFrameArrives(CaptureRig rig) throws Exception {
        RingBufferReader reader = rig.program().ringReader();
        while (reader.drain((d, o, l) -> { }, 1000) > 0) {
            // start from an empty ring
        }
        byte[] frame = rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).udp(43001, 43002).build();
        CompletableFuture<long[]> result = CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            boolean data = reader.awaitData(TIMEOUT_MS);
            return new long[] {data ? 1 : 0, (System.nanoTime() - t0) / 1_000_000};
        });
        Thread.sleep(300);
        rig.sender().send(frame);
        long[] r = result.get(10, TimeUnit.SECONDS);
        assertThat(r[0]).as("data was there when awaitData returned").isEqualTo(1);
        return r[1];
    }

    @Test
    void shouldWakeTheReaderAtOnceWhenTheThresholdIsReached() throws Exception {
        try (CaptureRig rig = CaptureRig.start(new CaptureConfig(64, 1 << 16, 1))) {
            long ms = waitWhileOneFrameArrives(rig);
            assertThat(ms).as("woken by the first record").isLessThan(TIMEOUT_MS / 2);
        }
    }

    @Test
    void shouldLetTheReaderSleepUntilItsTimeoutBelowTheThreshold() throws Exception {
        try (CaptureRig rig = CaptureRig.start(new CaptureConfig(64, 1 << 16, 0))) {
            long ms = waitWhileOneFrameArrives(rig);
            assertThat(ms).as("no wakeup: poll returns at its timeout").isGreaterThanOrEqualTo(TIMEOUT_MS - 100);
        }
    }
}
