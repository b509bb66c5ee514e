package io.headerlog.collector.bpf;

import java.nio.ByteBuffer;

/** Receives ring buffer records from {@link RingBufferReader#drain}. */
@FunctionalInterface
public interface RecordHandler {

    /**
     * @param data   a read-only, native-order view of the ring's memory; the record is
     *               {@code [offset, offset + length)}. Valid only during this call: the slot is handed
     *               back to the kernel when the call returns, so copy what must outlive it.
     * @param offset where the record starts in {@code data}
     * @param length record length in bytes (for capture.bpf.c: struct hl_event + a payload class)
     */
    void onRecord(ByteBuffer data, int offset, int length);
}
