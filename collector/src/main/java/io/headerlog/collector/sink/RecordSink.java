package io.headerlog.collector.sink;

import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.PacketHeader;

/**
 * Where decoded records go. Called from the ring reader thread only; implementations count what they
 * delivered and what they lost so the collector can publish both.
 */
public interface RecordSink extends AutoCloseable {

    /** Hands one record over; delivery may complete later (see {@link #published()}). */
    void publish(String key, PacketHeader header);

    /** Publishes a counters snapshot of this collector. */
    void publishStats(CollectorStats stats);

    /** Publishes the exact kernel counters of one flow (sinks that only carry packets ignore them). */
    void publishFlow(FlowSummary flow);

    /** Pushes buffered records out; called when the ring ran dry and before close. */
    void flush();

    /** Records delivered so far (for Kafka: acknowledged by the broker). */
    long published();

    /** Records lost so far (for Kafka: failed sends). */
    long errors();

    /** The last delivery problem in one line, or null when there was none. */
    default String lastError() {
        return null;
    }

    @Override
    void close();
}
