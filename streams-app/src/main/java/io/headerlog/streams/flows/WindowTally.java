package io.headerlog.streams.flows;

import io.headerlog.schema.FlowSummary;
import java.util.Objects;

/**
 * The open state of one flow direction at one observation point in one window: the estimate built
 * from header records and the exact counters of flows.raw records, side by side. Mutable, owned by
 * one task; {@link WindowTallyCodec} is its stored form.
 *
 * <p>The estimate is a Horvitz–Thompson sum: a record kept with probability 1/r stands for r
 * packets, which is unbiased whatever mix of rates the records carry (rate 1 for TCP control and L7
 * records kept regardless, the kernel × stream rate for the rest). Its variance under independent
 * sampling is estimated alongside by Σ r(r − 1)·y², y being the record's packets (or bytes).
 */
final class WindowTally {
    private final FlowPoint point;
    private final long windowStartNs;
    private long headerRecords;
    private long estimatedPackets;
    private long estimatedBytes;
    private double packetsVariance;
    private double bytesVariance;
    private long maxSampleRate;
    private int exactRecords;
    private long exactPackets;
    private long exactBytes;
    private long exactFirstSeenNs = Long.MAX_VALUE;
    private long exactLastSeenNs = Long.MIN_VALUE;
    private long maxEventTimeNs = Long.MIN_VALUE;
    private long lastRecordTimestampMs = Long.MIN_VALUE;

    WindowTally(FlowPoint point, long windowStartNs) {
        this.point = Objects.requireNonNull(point, "point");
        this.windowStartNs = windowStartNs;
    }

    /** Adds a header record of {@code packets} wire packets and {@code bytes} wire bytes kept at 1 in {@code rate}. */
    void addHeader(long rate, long packets, long bytes, long eventTimeNs, long recordTimestampMs) {
        long r = Math.max(1, rate);
        headerRecords++;
        estimatedPackets += r * packets;
        estimatedBytes += r * bytes;
        double weight = (double) r * (r - 1);
        packetsVariance += weight * packets * packets;
        bytesVariance += weight * (double) bytes * bytes;
        maxSampleRate = Math.max(maxSampleRate, r);
        seen(eventTimeNs, recordTimestampMs);
    }

    /** Adds a flows.raw record's exact counters, whole. */
    void addFlow(FlowSummary f, long recordTimestampMs) {
        exactRecords++;
        exactPackets += f.getPackets();
        exactBytes += f.getBytes();
        exactFirstSeenNs = Math.min(exactFirstSeenNs, f.getFirstSeenNs());
        exactLastSeenNs = Math.max(exactLastSeenNs, f.getLastSeenNs());
        seen(f.getLastSeenNs(), recordTimestampMs);
    }

    private void seen(long eventTimeNs, long recordTimestampMs) {
        maxEventTimeNs = Math.max(maxEventTimeNs, eventTimeNs);
        lastRecordTimestampMs = Math.max(lastRecordTimestampMs, recordTimestampMs);
    }

    /** Sets every counter at once: the codec's way back from the stored form. */
    void restore(long records, long packets, long bytes, double packetsVar, double bytesVar, long maxRate, int flowRecords,
            long flowPackets, long flowBytes, long firstSeenNs, long lastSeenNs, long maxEventNs, long lastTimestampMs) {
        headerRecords = records;
        estimatedPackets = packets;
        estimatedBytes = bytes;
        packetsVariance = packetsVar;
        bytesVariance = bytesVar;
        maxSampleRate = maxRate;
        exactRecords = flowRecords;
        exactPackets = flowPackets;
        exactBytes = flowBytes;
        exactFirstSeenNs = firstSeenNs;
        exactLastSeenNs = lastSeenNs;
        maxEventTimeNs = maxEventNs;
        lastRecordTimestampMs = lastTimestampMs;
    }

    FlowPoint point() {
        return point;
    }

    long windowStartNs() {
        return windowStartNs;
    }

    long headerRecords() {
        return headerRecords;
    }

    long estimatedPackets() {
        return estimatedPackets;
    }

    long estimatedBytes() {
        return estimatedBytes;
    }

    double packetsVariance() {
        return packetsVariance;
    }

    double bytesVariance() {
        return bytesVariance;
    }

    long maxSampleRate() {
        return maxSampleRate;
    }

    int exactRecords() {
        return exactRecords;
    }

    long exactPackets() {
        return exactPackets;
    }

    long exactBytes() {
        return exactBytes;
    }

    long exactFirstSeenNs() {
        return exactFirstSeenNs;
    }

    long exactLastSeenNs() {
        return exactLastSeenNs;
    }

    /** The newest event time of any record in this window. */
    long maxEventTimeNs() {
        return maxEventTimeNs;
    }

    /** The newest input record timestamp: the output record's timestamp, as Kafka's aggregations do. */
    long lastRecordTimestampMs() {
        return lastRecordTimestampMs;
    }
}
