package io.headerlog.streams.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two bounded in-memory helpers of the processor: FlowHosts and RecentlyClosed. */
class RecentMemoryTest {

    @Test
    void shouldTellFlowsSeenAtTwoHostsAndForgetTheLeastRecent() {
        FlowHosts flows = new FlowHosts(2);
        flows.saw("f1", "a");
        flows.saw("f1", "a");
        assertThat(flows.multiHost("f1")).isFalse();
        flows.saw("f1", "b");
        assertThat(flows.multiHost("f1")).isTrue();

        flows.saw("f2", "a");
        flows.saw("f1", "a"); // f1 is used again: f2 is now the least recent
        flows.saw("f3", "a");
        assertThat(flows.size()).isEqualTo(2);
        assertThat(flows.multiHost("f1")).isTrue();
        flows.saw("f2", "b");
        assertThat(flows.multiHost("f2")).as("forgotten, so b is its first host again").isFalse();
    }

    @Test
    void shouldRecogniseSightingsOfRecentlyClosedPackets() {
        RecentlyClosed closed = new RecentlyClosed(1);
        closed.closed("k1", 100, 200);

        assertThat(closed.belongsToClosed("k1", 150, 1_000)).isTrue();
        assertThat(closed.belongsToClosed("k1", 1_100, 1_000)).as("another crossing").isFalse();
        assertThat(closed.belongsToClosed("k2", 150, 1_000)).isFalse();

        closed.closed("k2", 100, 200);
        assertThat(closed.size()).isEqualTo(1);
        assertThat(closed.belongsToClosed("k1", 150, 1_000)).isFalse();
    }
}
