package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    private static long caps(int... bits) {
        long m = 0;
        for (int b : bits) {
            m |= 1L << b;
        }
        return m;
    }

    @Test
    void shouldNameEveryCapabilityWhenNoneIsHeld() {
        assertThat(Capabilities.missing(0)).containsExactly("CAP_BPF", "CAP_PERFMON", "CAP_NET_ADMIN");
    }

    @Test
    void shouldAcceptCapSysAdminInPlaceOfCapBpfAndCapPerfmon() {
        assertThat(Capabilities.missing(caps(21, 12))).isEmpty();
        assertThat(Capabilities.missing(caps(21))).containsExactly("CAP_NET_ADMIN");
    }

    @Test
    void shouldNeedNothingMoreWithTheThreeCapabilities() {
        assertThat(Capabilities.missing(caps(39, 38, 12))).isEmpty();
        assertThat(Capabilities.missing(caps(39, 12))).containsExactly("CAP_PERFMON");
    }
}
