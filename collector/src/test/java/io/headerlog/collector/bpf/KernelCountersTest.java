package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KernelCountersTest {

    @Test
    void shouldMapCountersByTheirEnumIndex() {
        long[] raw = new long[EventLayout.CNT_MAX];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = 100 + i;
        }
        KernelCounters c = KernelCounters.of(raw);
        assertThat(c.seen()).isEqualTo(100 + EventLayout.CNT_SEEN);
        assertThat(c.submitted()).isEqualTo(100 + EventLayout.CNT_SUBMITTED);
        assertThat(c.ringbufFull()).isEqualTo(100 + EventLayout.CNT_RINGBUF_FULL);
        assertThat(c.loadFailed()).isEqualTo(100 + EventLayout.CNT_LOAD_FAILED);
        assertThat(c.truncated()).isEqualTo(100 + EventLayout.CNT_TRUNCATED);
        assertThat(c.ipv6ExtLimit()).isEqualTo(100 + EventLayout.CNT_IPV6_EXT_LIMIT);
        assertThat(c.nonIp()).isEqualTo(100 + EventLayout.CNT_NON_IP);
        assertThat(c.snapCut()).isEqualTo(100 + EventLayout.CNT_SNAP_CUT);
        assertThat(c.l7Start()).isEqualTo(100 + EventLayout.CNT_L7_START);
        assertThat(c.l7Follow()).isEqualTo(100 + EventLayout.CNT_L7_FOLLOW);
        assertThat(c.filtered()).isEqualTo(100 + EventLayout.CNT_FILTERED);
        assertThat(c.sampledOut()).isEqualTo(100 + EventLayout.CNT_SAMPLED_OUT);
        assertThat(c.flowTableFull()).isEqualTo(100 + EventLayout.CNT_FLOW_TABLE_FULL);
    }

    @Test
    void shouldSubtractFieldByField() {
        KernelCounters a = new KernelCounters(10, 8, 2, 1, 3, 0, 4, 5, 6, 7, 0, 0, 1);
        KernelCounters b = new KernelCounters(15, 12, 3, 1, 4, 2, 4, 9, 16, 10, 3, 5, 2);
        assertThat(b.minus(a)).isEqualTo(new KernelCounters(5, 4, 1, 0, 1, 2, 0, 4, 10, 3, 3, 5, 1));
    }

    @Test
    void shouldAccountForEveryPacketAsFilteredSampledOutSubmittedOrRingFull() {
        KernelCounters c = new KernelCounters(100, 50, 5, 0, 0, 0, 0, 0, 0, 0, 30, 15, 0);
        assertThat(c.unaccounted()).isZero();
        assertThat(c.passedFilters()).isEqualTo(70);
        assertThat(c.kept()).isEqualTo(55);
        KernelCounters inFlight = new KernelCounters(102, 50, 5, 0, 0, 0, 0, 0, 0, 0, 30, 15, 0);
        assertThat(inFlight.unaccounted()).isEqualTo(2);
    }

    @Test
    void shouldRejectTheWrongNumberOfCounters() {
        assertThatThrownBy(() -> KernelCounters.of(new long[3])).hasMessageContaining("expected 13 counters");
    }
}
