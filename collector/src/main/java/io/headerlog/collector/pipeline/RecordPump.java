package io.headerlog.collector.pipeline;

import io.headerlog.collector.bpf.RecordHandler;
import io.headerlog.collector.decode.DecodedPacket;
import io.headerlog.collector.decode.PacketDecoder;
import io.headerlog.collector.sink.RecordSink;
import io.headerlog.schema.PacketHeader;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ring record → L2–L4 decode → application layer → sink, on the reader thread. Counts what it read
 * and what it could not decode; a record that breaks the contract is counted and skipped, never fatal.
 */
public final class RecordPump implements RecordHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RecordPump.class);
    private static final long EXPIRE_EVERY_NS = 100_000_000L;

    private final PacketDecoder decoder;
    private final ApplicationLayer application;
    private final Consumer<PacketHeader> publish;
    private volatile long read;
    private volatile long decodeErrors;
    private volatile long extraMessageRecords;
    private long nextExpireNs;

    public RecordPump(PacketDecoder decoder, ApplicationLayer application, RecordSink sink) {
        this.decoder = decoder;
        this.application = application;
        this.publish = header -> {
            if (header.getAppMessageIndex() > 0) {
                extraMessageRecords++;
            }
            sink.publish(header.getCommunityId(), header);
        };
    }

    @Override
    public void onRecord(ByteBuffer data, int offset, int length) {
        read++;
        DecodedPacket packet;
        try {
            packet = decoder.decodePacket(data, offset, length);
        } catch (RuntimeException e) {
            countDecodeError(e);
            return;
        }
        try {
            application.process(packet, publish);
        } catch (RuntimeException e) {
            // a parser bug must not cost the packet: publish it without application fields
            countDecodeError(e);
            publish.accept(packet.header().setHttp(null).setDns(null).setTls(null).build());
        }
    }

    private void countDecodeError(RuntimeException e) {
        if (decodeErrors++ == 0) {
            // the exception type only: messages of parser failures could quote payload bytes
            LOG.warn("could not decode a ring record ({}); further failures are only counted", e.getClass().getName());
        }
    }

    /** Publishes held records whose message stalled; cheap to call often (it acts every 100 ms). */
    public void expireHeld(long nowMonoNs) {
        if (nowMonoNs - nextExpireNs >= 0) {
            nextExpireNs = nowMonoNs + EXPIRE_EVERY_NS;
            application.expire(nowMonoNs, publish);
        }
    }

    /** Publishes every record still held for an incomplete message (at shutdown). */
    public void flushHeld() {
        application.flush(publish);
    }

    /** Records taken from the ring. */
    public long read() {
        return read;
    }

    /** Records that could not be decoded. */
    public long decodeErrors() {
        return decodeErrors;
    }

    /** Records that repeat a packet to carry a further application message (appMessageIndex > 0). */
    public long extraMessageRecords() {
        return extraMessageRecords;
    }

    public ApplicationCounters applicationCounters() {
        return application.counters();
    }
}
