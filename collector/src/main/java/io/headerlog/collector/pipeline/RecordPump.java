package io.headerlog.collector.pipeline;

import io.headerlog.collector.bpf.RecordHandler;
import io.headerlog.collector.decode.PacketDecoder;
import io.headerlog.collector.sink.RecordSink;
import io.headerlog.schema.PacketHeader;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ring record → PacketHeader → sink, on the reader thread. Counts what it read and what it could not
 * decode; a record that breaks the contract is counted and skipped, never fatal.
 */
public final class RecordPump implements RecordHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RecordPump.class);

    private final PacketDecoder decoder;
    private final RecordSink sink;
    private volatile long read;
    private volatile long decodeErrors;

    public RecordPump(PacketDecoder decoder, RecordSink sink) {
        this.decoder = decoder;
        this.sink = sink;
    }

    @Override
    public void onRecord(ByteBuffer data, int offset, int length) {
        read++;
        PacketHeader header;
        try {
            header = decoder.decode(data, offset, length);
        } catch (RuntimeException e) {
            if (decodeErrors++ == 0) {
                LOG.warn("could not decode a ring record ({}); further failures are only counted", e.getMessage());
            }
            return;
        }
        sink.publish(header.getCommunityId(), header);
    }

    /** Records taken from the ring. */
    public long read() {
        return read;
    }

    /** Records that could not be decoded. */
    public long decodeErrors() {
        return decodeErrors;
    }
}
