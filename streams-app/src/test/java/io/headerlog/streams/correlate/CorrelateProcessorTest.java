package io.headerlog.streams.correlate;

import static io.headerlog.streams.correlate.Sightings.FLOW;
import static io.headerlog.streams.correlate.Sightings.S;
import static io.headerlog.streams.correlate.Sightings.START_NS;
import static io.headerlog.streams.correlate.Sightings.US;
import static io.headerlog.streams.correlate.Sightings.atReference;
import static io.headerlog.streams.correlate.Sightings.sighting;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.CorrelatedPacket;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The processor on its own: what it makes of a store a previous instance left behind. */
class CorrelateProcessorTest {
    private static final long T = START_NS;
    private static final String STORE = "open";
    private static final long HASH = 99L;

    private final MockProcessorContext<String, CorrelatedPacket> context = new MockProcessorContext<>();
    private final KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE),
            Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
    private final CorrelationCounters counters = new CorrelationCounters();

    CorrelateProcessorTest() {
        context.setCurrentSystemTimeMs(1_772_366_400_000L);
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    @Test
    void shouldResumeOpenPacketsAndEventTimeFromTheStore() {
        OpenPacket left = OpenPacket.first(FLOW, HASH, new PacketSummary("198.18.0.1", "198.18.0.2", 6, 40000, 80, 1),
                sighting("client", "eth0", "egress", T, T, 0L), 1_000L);
        left.add(sighting("server", "eth0", "ingress", T + 37_000 * US, T + 240 * US, 30 * US), 1_001L);
        store.put(CorrelateProcessor.key(FLOW, HASH), OpenPacketCodec.encode(left));
        store.put("from-another-version", new byte[] {9, 1, 2});

        CorrelateProcessor processor = new CorrelateProcessor(CorrelationConfig.DEFAULTS, STORE, counters);
        processor.init(context);

        assertThat(counters.openPackets()).isEqualTo(1);
        assertThat(counters.openObservations()).isEqualTo(2);
        assertThat(store.get("from-another-version")).as("unreadable state is dropped, not fatal").isNull();
        assertThat(context.scheduledPunctuators()).singleElement().satisfies(p -> {
            assertThat(p.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
            assertThat(p.getInterval()).isEqualTo(Duration.ofSeconds(5));
        });

        // Event time resumed at the newest stored sighting (T + 240 µs): 3 s before is late.
        processor.process(new Record<>(FLOW, atReference("client", "eth0", "egress", T - 3 * S, FLOW, HASH + 1), 0L));
        assertThat(counters.late()).isEqualTo(1);

        processor.process(new Record<>("1:other", atReference("a", "eth0", "egress", T + 3 * S, "1:other", 7L), 2_000L));
        assertThat(context.forwarded()).singleElement().satisfies(f -> {
            assertThat(f.record().key()).isEqualTo(FLOW);
            assertThat(f.record().value().getHostCount()).isEqualTo(2);
            assertThat(f.record().value().getEndToEndDelayNs()).isEqualTo(240 * US);
            assertThat(f.record().timestamp()).isEqualTo(1_001L);
            assertThat(f.record().value().getCorrelatedAtMs()).isEqualTo(1_772_366_400_000L);
        });

        processor.close();
        assertThat(counters.openPackets()).as("the task's open packets leave this instance's gauge with it").isZero();
        assertThat(counters.openObservations()).isZero();
    }

    @Test
    void shouldNotScheduleAnIdleFlushWhenItIsOff() {
        new CorrelateProcessor(CorrelationConfig.DEFAULTS.withIdleFlush(Duration.ZERO), STORE, counters).init(context);

        assertThat(context.scheduledPunctuators()).isEmpty();
    }
}
