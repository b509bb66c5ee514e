package io.headerlog.tools.view;

import io.headerlog.tools.view.LatencyStats.Latency;
import io.headerlog.tools.view.ProtocolClass.IpVersion;
import java.util.List;
import java.util.Map;

/**
 * What the live view shows at one refresh: rates over the interval since the previous snapshot,
 * totals since the view started, the newest HTTP requests and the latest counters of each collector.
 *
 * @param atMs              wall-clock time of the snapshot
 * @param intervalSeconds   length of the interval the rates and latency cover
 * @param totalRecords      enriched records seen since the view started
 * @param undecodable       records of either topic the view could not decode
 * @param lastUndecodable   why the newest of those failed, or null
 * @param rates             per host and direction, ordered by host then direction
 * @param protocolPackets   wire packets since start by IP version and protocol (non-IP under OTHER)
 * @param httpRequests      newest HTTP request lines, oldest first
 * @param collectors        the latest stats of each collector, ordered by host
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
        List<HttpRequestLine> httpRequests,
        List<CollectorHealth> collectors,
        Latency latency) {

    /** Records and wire packets (gsoSegs × sampleRate) one host logged in one direction. */
    public record HostDirectionRate(String host, String direction, double recordsPerSecond,
            double packetsPerSecond, long totalRecords, long totalPackets) {
    }

    /** The start line of one HTTP request as a collector logged it. */
    public record HttpRequestLine(long captureTimeNs, String host, String direction, String method,
            String target, String version, String from, String to) {
    }

    /** The newest cumulative counters a collector published. */
    public record CollectorHealth(String host, long timeNs, long ringBufferFull, long publishErrors,
            long decodeErrors, long recordsPublished) {
    }
}
