package io.headerlog.streams.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PairModelCodec} and {@link ClockSampleCodec}: the state-store and repartition forms. */
class PairModelCodecTest {
    private static final long T = SimClock.T0;

    private static PairModelSnapshot snapshot() {
        HostPair pair = HostPair.of("host-b", "host-a");
        return new PairModelSnapshot(pair,
                List.of(new ClockSample("host-a", "host-b", T, T + 50, T + 70, T + 120),
                        new ClockSample("host-b", "host-a", T + 9, T + 60, T + 80, T + 130)),
                List.of(new ClockSample("host-a", "host-b", T + 200, T + 5_000_250, T + 5_000_270, T + 320)),
                T + 200, 42, 3, 2, 1);
    }

    @Test
    void shouldRoundTripASnapshotWithSamplesInBothDirections() {
        PairModelSnapshot s = snapshot();

        byte[] bytes = PairModelCodec.encode(s);

        assertThat(PairModelCodec.decode(bytes)).isEqualTo(s);
        assertThat(bytes.length).isLessThan(64 + 3 * 33 + 20);
    }

    @Test
    void shouldRoundTripAnEmptyModel() {
        PairModelSnapshot empty = new PairClockModel(HostPair.of("a", "b"), ClockModelConfig.DEFAULTS).snapshot();
        assertThat(PairModelCodec.decode(PairModelCodec.encode(empty))).isEqualTo(empty);
    }

    @Test
    void shouldRoundTripOneSampleForARepartitionTopic() {
        ClockSample sample = new ClockSample("host-ä", "host-b", T, T + 37_000_050, T + 37_000_070, T + 120);

        assertThat(ClockSampleCodec.decode(ClockSampleCodec.encode(sample))).isEqualTo(sample);
        byte[] bytes = ClockSampleCodec.encode(sample);
        assertThatThrownBy(() -> ClockSampleCodec.decode(Arrays.copyOf(bytes, 10))).hasMessageContaining("truncated clock sample");
        assertThatThrownBy(() -> ClockSampleCodec.decode(Arrays.copyOf(bytes, bytes.length + 2)))
                .hasMessageContaining("2 trailing bytes");
        // A sample that breaks the record's rules (negative delay) is refused, not passed on.
        byte[] nonCausal = ClockSampleCodec.encode(sample);
        nonCausal[nonCausal.length - 8] = 0; // top byte of t4: now long before t1
        assertThatThrownBy(() -> ClockSampleCodec.decode(nonCausal)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectBytesThatAreNotASnapshot() {
        byte[] bytes = PairModelCodec.encode(snapshot());
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 9;
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> PairModelCodec.decode(otherVersion)).hasMessageContaining("unknown clock model snapshot version 9");
        assertThatThrownBy(() -> PairModelCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> PairModelCodec.decode(longer)).hasMessageContaining("1 trailing bytes");
        assertThatThrownBy(() -> PairModelCodec.decode(new byte[0])).hasMessageContaining("truncated");
    }
}
