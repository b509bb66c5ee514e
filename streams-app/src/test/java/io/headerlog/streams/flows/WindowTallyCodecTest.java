package io.headerlog.streams.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The stored form of an open window, and how one header record counts on the wire. */
class WindowTallyCodecTest {
    private static final FlowPoint POINT = new FlowPoint("1:flow-a", "host-a", "eth0", "egress", 6, 17,
            "fd00:18::1", 5353, "fd00:18::2", 53);

    @Test
    void shouldRoundTripEveryCounter() {
        WindowTally t = new WindowTally(POINT, 1_772_366_400_000_000_000L);
        t.addHeader(8, 4, 6_056, 1_772_366_401_000_000_000L, 1_772_366_401_020L);
        t.addHeader(1, 1, 74, 1_772_366_402_000_000_000L, 1_772_366_402_020L);
        t.addFlow(FlowRecords.flow(1_772_366_399_000_000_000L, 1_772_366_403_000_000_000L, 40, 60_000), 1_772_366_423_000L);

        WindowTally back = WindowTallyCodec.decode(WindowTallyCodec.encode(t));

        assertThat(back.point()).isEqualTo(POINT);
        assertThat(back.windowStartNs()).isEqualTo(t.windowStartNs());
        assertThat(back.headerRecords()).isEqualTo(2);
        assertThat(back.estimatedPackets()).isEqualTo(33);
        assertThat(back.estimatedBytes()).isEqualTo(8 * 6_056 + 74);
        assertThat(back.packetsVariance()).isEqualTo(56.0 * 16);
        assertThat(back.bytesVariance()).isEqualTo(t.bytesVariance());
        assertThat(back.maxSampleRate()).isEqualTo(8);
        assertThat(back.exactRecords()).isEqualTo(1);
        assertThat(back.exactPackets()).isEqualTo(40);
        assertThat(back.exactBytes()).isEqualTo(60_000);
        assertThat(back.exactFirstSeenNs()).isEqualTo(1_772_366_399_000_000_000L);
        assertThat(back.exactLastSeenNs()).isEqualTo(1_772_366_403_000_000_000L);
        assertThat(back.maxEventTimeNs()).isEqualTo(1_772_366_403_000_000_000L);
        assertThat(back.lastRecordTimestampMs()).isEqualTo(1_772_366_423_000L);
        assertThat(POINT.storeKey(1)).isNotEqualTo(POINT.storeKey(2));
    }

    @Test
    void shouldRejectBytesOfAnotherFormat() {
        assertThatThrownBy(() -> WindowTallyCodec.decode(new byte[] {9, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        byte[] ok = WindowTallyCodec.encode(new WindowTally(POINT, 0));
        assertThatThrownBy(() -> WindowTallyCodec.decode(java.util.Arrays.copyOf(ok, ok.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }

    @Test
    void shouldCountWirePacketsAndBytesAsTheKernelDoes() {
        var gso = FlowRecords.data(0, 1).getHeader();
        gso.setGsoSegs(3);
        gso.setPacketLength(66 + 3 * 1448);
        gso.setPayloadLength(3 * 1448);
        assertThat(WireCount.packets(gso)).isEqualTo(3);
        assertThat(WireCount.bytes(gso)).isEqualTo(3 * (66 + 1448));

        var unparsed = FlowRecords.data(0, 1).getHeader(); // no L4 located: the kernel adds no per-segment headers
        unparsed.setGsoSegs(3);
        unparsed.setTcp(null);
        assertThat(WireCount.bytes(unparsed)).isEqualTo(unparsed.getPacketLength());

        var plain = FlowRecords.data(0, 1).getHeader();
        plain.setGsoSegs(0); // older records: 0 means a plain packet
        assertThat(WireCount.packets(plain)).isEqualTo(1);
        assertThat(WireCount.bytes(plain)).isEqualTo(1514);
    }

    @Test
    void shouldExplainAPartitionCountMismatchInOneLine() {
        assertThat(CoPartitioning.mismatch("headers.raw", 6, "flows.raw", 6)).isNull();
        assertThat(CoPartitioning.mismatch("headers.raw", 6, "flows.raw", 3))
                .isEqualTo("flows.raw has 3 partitions but headers.raw has 6; flows.summary needs both keyed alike in the same"
                        + " number of partitions: recreate flows.raw with 6 partitions, or turn the summary off (--no-flow-summary)");
    }
}
