package io.headerlog.collector.bpf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a BPF ring buffer map through mmap: records are read straight from the kernel's memory,
 * with no native call per record (one {@code poll(2)} per {@link #awaitData wait}).
 *
 * <p>Mappings (kernel/bpf/ringbuf.c): the consumer page read-write at offset 0; the producer page
 * followed by the data area, which the kernel maps twice in a row, read-only at offset page size.
 *
 * <p>One consumer: call {@link #drain} and {@link #awaitData} from one thread. {@link #close} may come
 * from another thread; it waits for a drain or wait in progress, because reading unmapped memory
 * would crash the JVM.
 */
public final class RingBufferReader implements AutoCloseable {

    private final Pointer consumerMap;
    private final long consumerLength;
    private final Pointer producerMap;
    private final long producerLength;
    private final RingConsumer consumer;
    private final Memory pollFd = new Memory(8);
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private RingBufferReader(int mapFd, Pointer consumerMap, long consumerLength, Pointer producerMap,
            long producerLength, RingConsumer consumer) {
        this.consumerMap = consumerMap;
        this.consumerLength = consumerLength;
        this.producerMap = producerMap;
        this.producerLength = producerLength;
        this.consumer = consumer;
        pollFd.setInt(0, mapFd);
        pollFd.setShort(4, LibC.POLLIN);
        pollFd.setShort(6, (short) 0);
    }

    /**
     * A reader over buffers that are not a kernel mapping (a synthetic ring for tests and benchmarks).
     * {@link #awaitData} then only waits for its timeout: poll(2) ignores a negative fd.
     */
    static RingBufferReader overBuffers(RingConsumer consumer) {
        return new RingBufferReader(-1, null, 0, null, 0, consumer);
    }

    /**
     * Maps the ring buffer map {@code mapFd} of {@code ringBytes} data bytes. The mappings keep the map
     * alive until {@link #close}, but {@link #awaitData} needs {@code mapFd} open.
     */
    static RingBufferReader map(int mapFd, int ringBytes) {
        int page = CaptureConfig.pageSize();
        long producerLength = page + 2L * ringBytes;
        if (2L * ringBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a ring of " + ringBytes + " bytes cannot be viewed as one ByteBuffer;"
                    + " use at most 512 MiB");
        }
        Pointer consumerMap = mmap(page, LibC.PROT_READ | LibC.PROT_WRITE, mapFd, 0, "consumer page");
        Pointer producerMap;
        try {
            producerMap = mmap(producerLength, LibC.PROT_READ, mapFd, page, "producer page and data");
        } catch (BpfException e) {
            LibC.INSTANCE.munmap(consumerMap, page);
            throw e;
        }
        ByteBuffer consumerPage = consumerMap.getByteBuffer(0, page).order(ByteOrder.nativeOrder());
        ByteBuffer producerPage = producerMap.getByteBuffer(0, page).order(ByteOrder.nativeOrder());
        ByteBuffer data = producerMap.getByteBuffer(page, 2L * ringBytes).order(ByteOrder.nativeOrder());
        return new RingBufferReader(mapFd, consumerMap, page, producerMap, producerLength,
                new RingConsumer(consumerPage, producerPage, data, ringBytes));
    }

    private static Pointer mmap(long length, int prot, int fd, long offset, String what) {
        try {
            Pointer p = LibC.INSTANCE.mmap(null, length, prot, LibC.MAP_SHARED, fd, offset);
            if (Pointer.nativeValue(p) == -1L) {
                throw new BpfException("mmap of the ring buffer " + what + " failed; check the locked-memory limit (ulimit -l)");
            }
            return p;
        } catch (LastErrorException e) {
            throw new BpfException("mmap of the ring buffer " + what + " (" + length + " bytes) failed: "
                    + LibC.INSTANCE.strerror(e.getErrorCode()) + "; a smaller ring may fit", e.getErrorCode());
        }
    }

    /**
     * Hands up to {@code maxRecords} ready records to {@code handler} without waiting; see
     * {@link RingConsumer#drain}.
     *
     * @return the number of records handed over
     */
    public int drain(RecordHandler handler, int maxRecords) {
        lock.lock();
        try {
            ensureOpen();
            return consumer.drain(handler, maxRecords);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the ring holds data or {@code timeoutMillis} pass. The capture program submits
     * without wakeups until its wakeup threshold is reached, so a short timeout is the normal way to
     * notice a trickle of records; a backlog wakes the reader at once.
     *
     * @return whether unconsumed data is waiting
     */
    public boolean awaitData(int timeoutMillis) {
        lock.lock();
        try {
            ensureOpen();
            if (consumer.pendingBytes() > 0) {
                return true;
            }
            try {
                LibC.INSTANCE.poll(pollFd, 1, timeoutMillis);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw new BpfException("poll on the ring buffer failed: " + LibC.INSTANCE.strerror(e.getErrorCode()),
                            e.getErrorCode());
                }
            }
            return consumer.pendingBytes() > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes the kernel has written that were not consumed yet. */
    public long pendingBytes() {
        lock.lock();
        try {
            ensureOpen();
            return consumer.pendingBytes();
        } finally {
            lock.unlock();
        }
    }

    public int ringBytes() {
        return consumer.ringBytes();
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (producerMap != null) {
                LibC.INSTANCE.munmap(producerMap, producerLength);
                LibC.INSTANCE.munmap(consumerMap, consumerLength);
            }
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the ring buffer reader is closed");
        }
    }
}
