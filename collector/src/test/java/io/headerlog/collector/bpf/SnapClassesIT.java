package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.CaptureRig;
import io.headerlog.testing.RawEvent;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The payload size classes of capture.h: each record reserves struct hl_event plus the smallest class
 * that holds its payload prefix, up to the largest snap length (jumbo frames on a 9000-byte MTU).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapClassesIT {

    private CaptureRig rig;

    @BeforeAll
    void start() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
        rig = CaptureRig.start(new CaptureConfig(EventLayout.SNAP_MAX, 1 << 22, 0), 9000);
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @ParameterizedTest(name = "{0} payload bytes -> {1}-byte class")
    @CsvSource({"0,0", "1,128", "128,128", "129,512", "512,512", "513,2048", "2048,2048", "2049,8192", "8192,8192", "8500,8192"})
    void shouldReserveTheSmallestClassThatHoldsThePrefix(int payloadBytes, int sizeClass) {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i ^ (i >>> 8));
        }
        int id = 0x5000 + payloadBytes;
        rig.sender().send(rig.frame().ipv4(rig.ea().ipv4(), rig.eb().ipv4()).ipId(id).udp(44001, 44002).payload(payload).build());

        RawEvent e = rig.events().awaitOne(r -> r.ingress() && r.sport() == 44001 && r.ipId() == id, Duration.ofSeconds(10));

        int copied = Math.min(payloadBytes, EventLayout.SNAP_MAX);
        assertThat(e.recordLength()).isEqualTo(EventLayout.SIZE + sizeClass);
        assertThat(e.payloadLen()).isEqualTo(payloadBytes);
        assertThat(e.snapLen()).isEqualTo(copied);
        assertThat(e.payload()).isEqualTo(Arrays.copyOf(payload, copied));
        assertThat(e.hasFlag(EventLayout.PF_SNAP_CUT)).isEqualTo(payloadBytes > EventLayout.SNAP_MAX);
    }
}
