package io.headerlog.collector.bpf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The consumer side of a BPF ring buffer (BPF_MAP_TYPE_RINGBUF), over plain {@link ByteBuffer}s so it
 * runs the same on the kernel's mappings and on a synthetic ring in a unit test.
 *
 * <p>Layout (kernel/bpf/ringbuf.c): the consumer position is a u64 at the start of the consumer page,
 * the producer position a u64 at the start of the producer page, and the data area is mapped twice in
 * a row so a record that wraps past the end is still contiguous. Each record starts with an 8-byte
 * header — u32 length with BUSY (bit 31, being written) and DISCARD (bit 30) flags, u32 page offset —
 * and occupies its length plus header rounded up to 8 bytes.
 *
 * <p>Ordering follows libbpf's ringbuf_process_ring: load-acquire of the producer position and of each
 * record header (so the record's bytes are visible once its BUSY bit is clear), store-release of the
 * consumer position after the handler returns (so the kernel reuses the slot only after we are done).
 *
 * <p>Not thread-safe: one consumer per ring.
 */
public final class RingConsumer {

    static final int HEADER_BYTES = 8;
    static final int BUSY_BIT = 1 << 31;
    static final int DISCARD_BIT = 1 << 30;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer consumerPage;
    private final ByteBuffer producerPage;
    private final ByteBuffer data;
    private final ByteBuffer view;
    private final int ringBytes;
    private final long mask;
    private long consumerPos;

    /**
     * @param consumerPage starts with the u64 consumer position (written by this class)
     * @param producerPage starts with the u64 producer position (read only)
     * @param data         the data area mapped twice: {@code 2 * ringBytes} bytes
     * @param ringBytes    ring size, a power of two
     */
    public RingConsumer(ByteBuffer consumerPage, ByteBuffer producerPage, ByteBuffer data, int ringBytes) {
        if (ringBytes < HEADER_BYTES || Integer.bitCount(ringBytes) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two, got " + ringBytes);
        }
        if (data.capacity() < 2L * ringBytes) {
            throw new IllegalArgumentException("the data area must hold the ring twice (" + 2L * ringBytes
                    + " bytes), got " + data.capacity());
        }
        if (consumerPage.capacity() < Long.BYTES || producerPage.capacity() < Long.BYTES) {
            throw new IllegalArgumentException("consumer and producer pages must hold a u64 position");
        }
        this.consumerPage = consumerPage;
        this.producerPage = producerPage;
        this.data = data;
        this.view = data.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        this.ringBytes = ringBytes;
        this.mask = ringBytes - 1L;
        this.consumerPos = (long) LONG.getAcquire(consumerPage, 0);
    }

    /**
     * Hands up to {@code maxRecords} complete records to {@code handler}, in ring order, without
     * waiting. Stops at the first record the producer is still writing. Discarded records are skipped
     * and not counted. If the handler throws, that record counts as consumed (a record that always
     * fails must not block the ring) and the exception propagates.
     *
     * @return the number of records handed to the handler
     */
    public int drain(RecordHandler handler, int maxRecords) {
        if (maxRecords <= 0) {
            throw new IllegalArgumentException("maxRecords must be positive, got " + maxRecords);
        }
        int delivered = 0;
        long producerPos = (long) LONG.getAcquire(producerPage, 0);
        while (delivered < maxRecords) {
            if (consumerPos >= producerPos) {
                producerPos = (long) LONG.getAcquire(producerPage, 0);
                if (consumerPos >= producerPos) {
                    break;
                }
            }
            int at = (int) (consumerPos & mask);
            int header = (int) INT.getAcquire(data, at);
            if ((header & BUSY_BIT) != 0) {
                break;
            }
            int length = header & ~(BUSY_BIT | DISCARD_BIT);
            if (length > ringBytes - HEADER_BYTES) {
                throw new IllegalStateException("corrupt ring record at position " + consumerPos + ": length " + length
                        + " exceeds the ring size " + ringBytes);
            }
            long next = consumerPos + ((length + HEADER_BYTES + 7L) & ~7L);
            try {
                if ((header & DISCARD_BIT) == 0) {
                    delivered++;
                    handler.onRecord(view, at + HEADER_BYTES, length);
                }
            } finally {
                consumerPos = next;
                LONG.setRelease(consumerPage, 0, next);
            }
        }
        return delivered;
    }

    /** Bytes written by the producer and not yet consumed (including records still being written). */
    public long pendingBytes() {
        return (long) LONG.getAcquire(producerPage, 0) - consumerPos;
    }

    /** The consumer position this reader has published. */
    public long consumerPosition() {
        return consumerPos;
    }

    public int ringBytes() {
        return ringBytes;
    }
}
