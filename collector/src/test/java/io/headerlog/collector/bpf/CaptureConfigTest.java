package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CaptureConfigTest {

    private static final int PAGE = CaptureConfig.pageSize();

    @Test
    void shouldAcceptTheDefaults() {
        CaptureConfig c = CaptureConfig.defaults();
        assertThat(c.snapLen()).isEqualTo(512);
        assertThat(c.ringBytes()).isEqualTo(8 << 20);
        assertThat(c.wakeupBytes()).isEqualTo(2 << 20);
        assertThat(c.l7SnapLen()).isEqualTo(4096);
        assertThat(c.l7FollowBytes()).isEqualTo(16384);
        assertThat(c.sampleRate()).isEqualTo(1);
        assertThat(c.keepTcpControl()).isTrue();
        assertThat(c.keepL7()).isTrue();
        assertThat(c.keepFlags()).isEqualTo(EventLayout.KEEPF_TCP_CONTROL | EventLayout.KEEPF_L7);
        assertThat(c.flowEntries()).isEqualTo(65536);
    }

    @Test
    void shouldGiveTheShortConstructorTheDefaultL7Knobs() {
        CaptureConfig c = new CaptureConfig(64, PAGE, 0);
        assertThat(c).isEqualTo(new CaptureConfig(64, PAGE, 0, CaptureConfig.DEFAULT_L7_SNAP_LEN,
                CaptureConfig.DEFAULT_L7_FOLLOW_BYTES));
    }

    @Test
    void shouldAcceptTheLimits() {
        assertThat(new CaptureConfig(0, PAGE, 0, 0, 0).snapLen()).isZero();
        CaptureConfig max = new CaptureConfig(EventLayout.SNAP_MAX, 1 << 29, 1 << 29, EventLayout.SNAP_MAX,
                CaptureConfig.MAX_L7_FOLLOW_BYTES);
        assertThat(max.ringBytes()).isEqualTo(1 << 29);
        assertThat(max.l7SnapLen()).isEqualTo(8192);
        assertThat(max.l7FollowBytes()).isEqualTo(1 << 24);
    }

    @Test
    void shouldRejectASnapLengthBeyondTheLargestSizeClass() {
        assertThatThrownBy(() -> new CaptureConfig(EventLayout.SNAP_MAX + 1, PAGE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snap length must be 0..8192");
        assertThatThrownBy(() -> new CaptureConfig(-1, PAGE, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectAnL7SnapLengthBeyondTheLargestSizeClass() {
        assertThatThrownBy(() -> new CaptureConfig(512, PAGE, 0, EventLayout.SNAP_MAX + 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L7 snap length must be 0..8192");
        assertThatThrownBy(() -> new CaptureConfig(512, PAGE, 0, -1, 0)).hasMessageContaining("L7 snap length");
    }

    @Test
    void shouldRejectAFollowBudgetThatIsNegativeOrCopiesBulkData() {
        assertThatThrownBy(() -> new CaptureConfig(512, PAGE, 0, 4096, -1)).hasMessageContaining("L7 follow budget");
        assertThatThrownBy(() -> new CaptureConfig(512, PAGE, 0, 4096, CaptureConfig.MAX_L7_FOLLOW_BYTES + 1))
                .hasMessageContaining("L7 follow budget must be 0 (off) .. 16777216 bytes");
    }

    @Test
    void shouldRejectARingThatIsNotAPowerOfTwoOrSmallerThanAPage() {
        assertThatThrownBy(() -> new CaptureConfig(64, 3 * PAGE, 0)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new CaptureConfig(64, PAGE / 2, 0)).hasMessageContaining("at least one page");
    }

    @Test
    void shouldRejectARingTooLargeToViewAsOneBuffer() {
        assertThatThrownBy(() -> new CaptureConfig(64, 1 << 30, 0)).hasMessageContaining("at most 512 MiB");
    }

    @Test
    void shouldRejectAWakeupThresholdOutsideTheRing() {
        assertThatThrownBy(() -> new CaptureConfig(64, PAGE, PAGE + 1)).hasMessageContaining("wakeup threshold");
        assertThatThrownBy(() -> new CaptureConfig(64, PAGE, -1)).hasMessageContaining("wakeup threshold");
    }

    @Test
    void shouldKeepTheWakeupFractionAndTheL7KnobsWhenResizingTheRing() {
        CaptureConfig c = new CaptureConfig(64, 1 << 20, 1 << 18, 2048, 100).withRingBytes(1 << 22);
        assertThat(c.wakeupBytes()).isEqualTo(1 << 20);
        assertThat(c.l7SnapLen()).isEqualTo(2048);
        assertThat(c.l7FollowBytes()).isEqualTo(100);
        assertThat(new CaptureConfig(64, 1 << 20, 0).withRingBytes(1 << 22).wakeupBytes()).isZero();
    }

    @Test
    void shouldReplaceOnlyTheKnobsNamed() {
        CaptureConfig base = new CaptureConfig(64, 1 << 20, 1 << 18, 2048, 100);
        assertThat(base.withSnapLen(256)).isEqualTo(new CaptureConfig(256, 1 << 20, 1 << 18, 2048, 100));
        assertThat(base.withL7(0, 0)).isEqualTo(new CaptureConfig(64, 1 << 20, 1 << 18, 0, 0));
    }

    @Test
    void shouldGiveTheFiveKnobConstructorSamplingOffAndDefaultFlowTables() {
        assertThat(new CaptureConfig(64, PAGE, 0, 0, 0)).isEqualTo(new CaptureConfig(64, PAGE, 0, 0, 0, 1, true, true,
                CaptureConfig.DEFAULT_FLOW_ENTRIES));
    }

    @Test
    void shouldRejectASampleRateOutsideOneToTwoToTheTwenty() {
        CaptureConfig c = CaptureConfig.defaults();
        assertThat(c.withSampleRate(1 << 20).sampleRate()).isEqualTo(1 << 20);
        assertThatThrownBy(() -> c.withSampleRate(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sample rate must be 1 (keep every packet) .. 1048576 (keep 1 in N), got 0");
        assertThatThrownBy(() -> c.withSampleRate((1 << 20) + 1)).hasMessageContaining("got 1048577");
    }

    @Test
    void shouldGiveASixteenthOfTheFlowTableAsPerCpuSlotsUpToTheMaximum() {
        CaptureConfig c = CaptureConfig.defaults();
        assertThat(c.flowSlots()).isEqualTo(EventLayout.FLOW_SLOTS_MAX);
        assertThat(c.withFlowEntries(1000).flowSlots()).isEqualTo(32);
        assertThat(c.withFlowEntries(16).flowSlots()).isEqualTo(1);
        assertThat(c.withFlowEntries(15).flowSlots()).isZero();
        assertThat(c.withFlowEntries(0).flowSlots()).isZero();
    }

    @Test
    void shouldRejectAFlowTableSizeOutOfRange() {
        CaptureConfig c = CaptureConfig.defaults();
        assertThat(c.withFlowEntries(0).flowEntries()).isZero();
        assertThatThrownBy(() -> c.withFlowEntries(-1)).hasMessageContaining("flow table size must be 0 (no flow counters)");
        assertThatThrownBy(() -> c.withFlowEntries(CaptureConfig.MAX_FLOW_ENTRIES + 1)).hasMessageContaining("got 4194305");
    }

    @Test
    void shouldEncodeTheKeepChoicesAsKernelFlags() {
        CaptureConfig c = CaptureConfig.defaults();
        assertThat(c.withKeep(false, false).keepFlags()).isZero();
        assertThat(c.withKeep(true, false).keepFlags()).isEqualTo(EventLayout.KEEPF_TCP_CONTROL);
        assertThat(c.withKeep(false, true).keepFlags()).isEqualTo(EventLayout.KEEPF_L7);
    }

    @Test
    void shouldKeepSamplingAndFlowKnobsWhenOtherKnobsChange() {
        CaptureConfig c = CaptureConfig.defaults().withSampleRate(100).withKeep(false, true).withFlowEntries(10);
        for (CaptureConfig changed : new CaptureConfig[] {c.withRingBytes(1 << 20), c.withSnapLen(64), c.withL7(0, 0)}) {
            assertThat(changed.sampleRate()).isEqualTo(100);
            assertThat(changed.keepTcpControl()).isFalse();
            assertThat(changed.keepL7()).isTrue();
            assertThat(changed.flowEntries()).isEqualTo(10);
        }
    }
}
