package io.headerlog.collector.bpf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The producer side of a BPF ring buffer, emulated in Java the way kernel/bpf/ringbuf.c lays it out:
 * a consumer page, a producer page and a data area that is "mapped twice" — every byte written at
 * ring offset x also appears at x + size — so {@link RingConsumer} can be tested without a kernel.
 */
final class SyntheticRing {

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    final ByteBuffer consumerPage = aligned(4096);
    final ByteBuffer producerPage = aligned(4096);
    final ByteBuffer data;
    final int size;
    private final int mask;
    private long producerPos;

    SyntheticRing(int size) {
        this.size = size;
        this.mask = size - 1;
        this.data = aligned(2 * size);
    }

    private static ByteBuffer aligned(int bytes) {
        return ByteBuffer.allocateDirect(bytes + 64).alignedSlice(64).limit(bytes).slice().order(ByteOrder.nativeOrder());
    }

    RingConsumer consumer() {
        return new RingConsumer(consumerPage, producerPage, data, size);
    }

    long consumerPos() {
        return (long) LONG.getAcquire(consumerPage, 0);
    }

    long producerPos() {
        return producerPos;
    }

    /**
     * Like bpf_ringbuf_reserve: fails (returns -1) when the record would overrun the consumer,
     * otherwise writes a BUSY header and publishes the new producer position.
     */
    long reserve(int length) {
        long total = (length + RingConsumer.HEADER_BYTES + 7L) & ~7L;
        if (producerPos + total - consumerPos() > size) {
            return -1;
        }
        long at = producerPos;
        putHeader(at, length | RingConsumer.BUSY_BIT);
        producerPos += total;
        LONG.setRelease(producerPage, 0, producerPos);
        return at;
    }

    /** Writes record bytes through both views of the data area. */
    void write(long recordPos, int offsetInRecord, byte[] bytes) {
        int x = (int) ((recordPos + RingConsumer.HEADER_BYTES + offsetInRecord) & mask);
        int first = Math.min(bytes.length, size - x);
        data.put(x, bytes, 0, first);
        data.put(x + size, bytes, 0, first);
        int rest = bytes.length - first;
        if (rest > 0) {
            data.put(0, bytes, first, rest);
            data.put(size, bytes, first, rest);
        }
    }

    void commit(long recordPos) {
        putHeader(recordPos, header(recordPos) & ~RingConsumer.BUSY_BIT);
    }

    void discard(long recordPos) {
        putHeader(recordPos, (header(recordPos) & ~RingConsumer.BUSY_BIT) | RingConsumer.DISCARD_BIT);
    }

    /** Reserve, fill and commit; returns the record position, or -1 when the ring is full. */
    long publish(byte[] record) {
        long at = reserve(record.length);
        if (at >= 0) {
            write(at, 0, record);
            commit(at);
        }
        return at;
    }

    /** Moves both positions, as if {@code bytes} had been produced and consumed already. */
    void skipTo(long position) {
        producerPos = position;
        LONG.setRelease(producerPage, 0, position);
        LONG.setRelease(consumerPage, 0, position);
    }

    private int header(long recordPos) {
        return (int) INT.getAcquire(data, (int) (recordPos & mask));
    }

    private void putHeader(long recordPos, int value) {
        int x = (int) (recordPos & mask);
        INT.setRelease(data, x, value);
        INT.setRelease(data, x + size, value);
    }
}
