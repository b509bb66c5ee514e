package io.headerlog.tools.view;

import io.headerlog.schema.StreamsStats;
import io.headerlog.tools.view.LatencyStats.Latency;
import io.headerlog.tools.view.ProtocolClass.IpVersion;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What the live view shows at one refresh: rates over the interval since the previous snapshot,
 * totals since the view started, the newest application messages (HTTP, DNS, TLS) and the latest
 * counters of each collector, every host's clock estimate and the counters of every streams-app
 * instance.
 *
 * @param atMs              wall-clock time of the snapshot
 * @param intervalSeconds   length of the interval the rates and latency cover
 * @param totalRecords      enriched records of packets seen since the view started (records that
 *                          only repeat a packet for a further message, appMessageIndex &gt; 0, are
 *                          not counted here, in the rates or in the protocols)
 * @param undecodable       records of either topic the view could not decode
 * @param lastUndecodable   why the newest of those failed, or null
 * @param rates             per host and direction, ordered by host then direction
 * @param protocolPackets   wire packets since start by IP version and protocol (non-IP under OTHER)
 * @param messageCounts     application messages logged since start, every kind present (0 if none
 *                          seen); counted per record, not scaled by sampleRate
 * @param messages          newest application message lines, oldest first
 * @param collectors        the latest stats of each collector, ordered by host
 * @param clocks            every host seen in records, stats or clock.offsets, ordered by host
 * @param streams           every streams-app instance of this run, ordered by application/instance
 * @param latency           processing time minus capture time of this interval's records
 */
public record SummarySnapshot(
        long atMs,
        double intervalSeconds,
        long totalRecords,
        long undecodable,
        String lastUndecodable,
        List<HostDirectionRate> rates,
        Map<IpVersion, Map<ProtocolClass, Long>> protocolPackets,
        Map<MessageKind, Long> messageCounts,
        List<AppMessageLine> messages,
        List<CollectorHealth> collectors,
        List<HostClockLine> clocks,
        List<StreamsLine> streams,
        Latency latency) {

    /** Records and wire packets (gsoSegs × sampleRate) one host logged in one direction. */
    public record HostDirectionRate(String host, String direction, double recordsPerSecond,
            double packetsPerSecond, long totalRecords, long totalPackets) {
    }

    /**
     * One application message as a collector logged it.
     *
     * @param from  source address and port ({@code [v6]:port} for IPv6), or "?" without an IP header
     * @param to    destination, likewise
     * @param text  the message, e.g. {@code GET /index.html HTTP/1.1 host=www.demo.hl}, bounded in length
     */
    public record AppMessageLine(long captureTimeNs, String host, String direction, String from, String to,
            MessageKind kind, String text) {
    }

    /**
     * The newest cumulative counters a collector published: what its kernel program saw, what the
     * filters and the sampling removed on purpose, and what was lost (ring full, decode and publish
     * errors).
     */
    public record CollectorHealth(String host, long timeNs, long ringBufferFull, long publishErrors,
            long decodeErrors, long recordsPublished, long packetsSeen, long filtered, long sampledOut,
            int sampleRate) {
    }

    /**
     * One streams-app instance: its newest StreamsStats and the one before it (null until a second
     * arrives), whose difference gives the rates.
     */
    public record StreamsLine(StreamsStats latest, StreamsStats previous) {

        /** Input records per second between the two snapshots; NaN without a previous one. */
        public double recordsInPerSecond() {
            return rate(s -> s.getRecords().getRecordsIn());
        }

        /** CorrelatedPacket records (packets seen at two or more hosts) per second. */
        public double correlatedPerSecond() {
            return rate(s -> s.getCorrelation().getPacketsCorrelated());
        }

        /** HttpTransaction records per second. */
        public double transactionsPerSecond() {
            return rate(s -> s.getHttp().getTransactions());
        }

        private double rate(ToLongFunction<StreamsStats> counter) {
            if (previous == null || latest.getTimeNs() <= previous.getTimeNs()) {
                return Double.NaN;
            }
            return (counter.applyAsLong(latest) - counter.applyAsLong(previous)) * 1e9
                    / (latest.getTimeNs() - previous.getTimeNs());
        }
    }

    /**
     * One host's clock: its newest distinct estimates from clock.offsets, oldest first (empty: the
     * streams app has no model for it yet), and how many of the interval's enriched records of the
     * host carried an aligned time (alignedTimeNs set).
     */
    public record HostClockLine(String host, List<ClockEstimate> estimates, long intervalRecords,
            long intervalAligned) {

        public HostClockLine {
            estimates = List.copyOf(estimates);
        }

        /** The newest estimate, or null when there is none yet. */
        public ClockEstimate latest() {
            return estimates.isEmpty() ? null : estimates.get(estimates.size() - 1);
        }
    }
}
