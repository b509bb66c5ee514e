package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ring logic of {@link RingBufferReader} against a synthetic ring laid out like the kernel's. */
class RingBufferReaderTest {

    private static final int RING = 4096;

    private final SyntheticRing ring = new SyntheticRing(RING);
    private final RingConsumer consumer = ring.consumer();
    private final List<byte[]> seen = new ArrayList<>();
    private final RecordHandler collect = (data, offset, length) -> {
        byte[] copy = new byte[length];
        data.get(offset, copy);
        seen.add(copy);
    };

    private static byte[] record(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldDeliverRecordsInOrderAndPublishConsumerPosition() {
        ring.publish(record("first"));
        ring.publish(record("second record"));

        int n = consumer.drain(collect, 100);

        assertThat(n).isEqualTo(2);
        assertThat(seen).containsExactly(record("first"), record("second record"));
        // 8-byte header + length, rounded up to 8: 16 + 24
        assertThat(ring.consumerPos()).isEqualTo(40).isEqualTo(ring.producerPos());
        assertThat(consumer.pendingBytes()).isZero();
    }

    @Test
    void shouldReturnZeroOnAnEmptyRing() {
        assertThat(consumer.drain(collect, 10)).isZero();
        assertThat(ring.consumerPos()).isZero();
    }

    @Test
    void shouldReadRecordThatWrapsAroundTheRingEndContiguously() {
        ring.skipTo(RING - 16);
        RingConsumer c = ring.consumer();
        byte[] big = new byte[100];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }

        long at = ring.publish(big);
        int n = c.drain(collect, 10);

        assertThat(at).isEqualTo(RING - 16);
        assertThat(n).isEqualTo(1);
        assertThat(seen.get(0)).isEqualTo(big);
        assertThat(ring.consumerPos()).isEqualTo(RING - 16 + 8 + 104);
    }

    @Test
    void shouldHandTheHandlerAnOffsetPastTheRingEndForAWrappedRecord() {
        ring.skipTo(3 * RING - 8);
        RingConsumer c = ring.consumer();
        ring.publish(record("wrapped"));
        List<Integer> offsets = new ArrayList<>();

        c.drain((data, offset, length) -> offsets.add(offset), 1);

        // The header sits in the last 8 bytes of the ring, the record at the start of the second view.
        assertThat(offsets).containsExactly(RING);
    }

    @Test
    void shouldStopAtABusyRecordAndResumeAfterCommit() {
        ring.publish(record("done"));
        long busy = ring.reserve(5);
        ring.write(busy, 0, record("later"));
        ring.publish(record("after busy"));

        assertThat(consumer.drain(collect, 10)).isEqualTo(1);
        assertThat(seen).containsExactly(record("done"));
        assertThat(ring.consumerPos()).isEqualTo(busy);

        ring.commit(busy);
        assertThat(consumer.drain(collect, 10)).isEqualTo(2);
        assertThat(seen).containsExactly(record("done"), record("later"), record("after busy"));
    }

    @Test
    void shouldSkipDiscardedRecordsButConsumeThem() {
        ring.publish(record("keep 1"));
        long dropped = ring.reserve(20);
        ring.discard(dropped);
        ring.publish(record("keep 2"));

        assertThat(consumer.drain(collect, 10)).isEqualTo(2);
        assertThat(seen).containsExactly(record("keep 1"), record("keep 2"));
        assertThat(ring.consumerPos()).isEqualTo(ring.producerPos());
    }

    @Test
    void shouldDeliverAtMostMaxRecords() {
        for (int i = 0; i < 5; i++) {
            ring.publish(record("r" + i));
        }
        assertThat(consumer.drain(collect, 3)).isEqualTo(3);
        assertThat(consumer.pendingBytes()).isEqualTo(2 * 16);
        assertThat(consumer.drain(collect, 3)).isEqualTo(2);
        assertThat(seen).hasSize(5);
    }

    @Test
    void shouldFreeSpaceForTheProducerAsItConsumes() {
        int published = 0;
        while (ring.publish(new byte[56]) >= 0) {
            published++;
        }
        assertThat(published).isEqualTo(RING / 64);
        assertThat(ring.reserve(56)).as("full ring").isEqualTo(-1);

        assertThat(consumer.drain(collect, 1)).isEqualTo(1);

        assertThat(ring.publish(new byte[56])).as("space of the consumed record").isGreaterThanOrEqualTo(0);
    }

    @Test
    void shouldKeepWorkingOverManyLapsOfTheRing() {
        int total = 0;
        for (int lap = 0; lap < 50; lap++) {
            for (int i = 0; i < 37; i++) {
                byte[] r = new byte[2 + (lap * 37 + i) % 200];
                r[0] = (byte) i;
                r[r.length - 1] = (byte) lap;
                if (ring.publish(r) < 0) {
                    total += consumer.drain(collect, Integer.MAX_VALUE);
                    assertThat(ring.publish(r)).isGreaterThanOrEqualTo(0);
                }
            }
        }
        total += consumer.drain(collect, Integer.MAX_VALUE);
        assertThat(total).isEqualTo(50 * 37);
        for (int k = 0; k < seen.size(); k++) {
            byte[] r = seen.get(k);
            assertThat(r).hasSize(2 + k % 200);
            assertThat(r[0]).isEqualTo((byte) (k % 37));
            assertThat(r[r.length - 1]).isEqualTo((byte) (k / 37));
        }
    }

    @Test
    void shouldReportPendingBytesIncludingRecordsBeingWritten() {
        ring.publish(record("x"));
        ring.reserve(30);
        assertThat(consumer.pendingBytes()).isEqualTo(16 + 40);
    }

    @Test
    void shouldConsumeARecordWhoseHandlerThrows() {
        ring.publish(record("poison"));
        ring.publish(record("next"));

        assertThatThrownBy(() -> consumer.drain((d, o, l) -> {
            throw new IllegalArgumentException("bad record");
        }, 10)).hasMessage("bad record");

        assertThat(ring.consumerPos()).isEqualTo(16);
        assertThat(consumer.drain(collect, 10)).isEqualTo(1);
        assertThat(seen).containsExactly(record("next"));
    }

    @Test
    void shouldRejectARecordLongerThanTheRing() {
        ring.data.putInt(0, RING);
        ring.skipTo(0);
        ring.producerPage.putLong(0, 64);

        assertThatThrownBy(() -> ring.consumer().drain(collect, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt ring record");
    }

    @Test
    void shouldGiveTheHandlerAReadOnlyNativeOrderView() {
        ring.publish(record("abcd"));
        List<ByteBuffer> views = new ArrayList<>();

        consumer.drain((data, offset, length) -> views.add(data), 1);

        assertThat(views.get(0).isReadOnly()).isTrue();
        assertThat(views.get(0).order()).isEqualTo(ByteOrder.nativeOrder());
        assertThatThrownBy(() -> views.get(0).put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void shouldDrainThroughTheReaderAndTimeOutWithoutAKernelMap() {
        ring.publish(record("via reader"));
        try (RingBufferReader reader = RingBufferReader.overBuffers(ring.consumer())) {
            assertThat(reader.pendingBytes()).isEqualTo(24);
            assertThat(reader.awaitData(1000)).isTrue();
            assertThat(reader.drain(collect, 10)).isEqualTo(1);
            assertThat(reader.awaitData(1)).isFalse();
        }
        assertThat(seen).containsExactly(record("via reader"));
    }

    @Test
    void shouldRefuseToReadAfterClose() {
        RingBufferReader reader = RingBufferReader.overBuffers(ring.consumer());
        reader.close();
        reader.close();
        assertThatThrownBy(() -> reader.drain(collect, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> reader.awaitData(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRejectADataAreaThatIsNotMappedTwice() {
        assertThatThrownBy(() -> new RingConsumer(ring.consumerPage, ring.producerPage,
                ByteBuffer.allocateDirect(RING), RING)).hasMessageContaining("twice");
    }
}
