package io.headerlog.streams.correlate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The sightings of one crossing of one packet label in one flow, collected while its window is
 * open. Plain data plus the rules of what may join; {@link CorrelateProcessor} decides when it
 * closes and {@link OpenPacketCodec} stores it.
 *
 * <p>A second sighting at the same observation point (host, interface, direction) means the label
 * crossed twice — an IPv6 duplicate ACK or window update (no IP ID to tell them apart), a
 * retransmission — and which sighting belongs with which at the other hosts cannot be told from
 * headers. A wrong pairing would be a delay off by a retransmission timeout, so the packet becomes
 * ambiguous: it keeps counting sightings but stores no more and is never emitted.
 */
final class OpenPacket {
    /** A path of 32 hosts seen in and out; more is a loop or a flood of one label, not a path. */
    static final int MAX_SIGHTINGS = 64;

    private final String communityId;
    private final long packetHash;
    private final PacketSummary summary;
    private final List<Sighting> sightings;
    private int unstoredSightings;
    private boolean ambiguous;
    private long startNs;
    private long endNs;
    private long lastRecordTimestampMs;

    OpenPacket(String communityId, long packetHash, PacketSummary summary, List<Sighting> sightings,
            int unstoredSightings, boolean ambiguous, long startNs, long endNs, long lastRecordTimestampMs) {
        this.communityId = Objects.requireNonNull(communityId, "communityId");
        this.packetHash = packetHash;
        this.summary = Objects.requireNonNull(summary, "summary");
        this.sightings = new ArrayList<>(sightings);
        this.unstoredSightings = unstoredSightings;
        this.ambiguous = ambiguous;
        this.startNs = startNs;
        this.endNs = endNs;
        this.lastRecordTimestampMs = lastRecordTimestampMs;
    }

    static OpenPacket first(String communityId, long packetHash, PacketSummary summary, Sighting s,
            long recordTimestampMs) {
        long t = s.eventTimeNs();
        return new OpenPacket(communityId, packetHash, summary, List.of(s), 0, false, t, t, recordTimestampMs);
    }

    /** Whether a sighting at event time {@code t} belongs to this crossing: the span stays under the window. */
    boolean fits(long t, long windowNs) {
        return TimeMath.spanWith(startNs, endNs, t) < windowNs;
    }

    /** Adds a sighting that {@link #fits}. */
    void add(Sighting s, long recordTimestampMs) {
        long t = s.eventTimeNs();
        startNs = Math.min(startNs, t);
        endNs = Math.max(endNs, t);
        lastRecordTimestampMs = Math.max(lastRecordTimestampMs, recordTimestampMs);
        if (!ambiguous && (sightings.size() >= MAX_SIGHTINGS || sightings.stream().anyMatch(s::samePoint))) {
            ambiguous = true;
            // Keep the count, drop the detail: an ambiguous packet only needs its size for the counters.
            unstoredSightings += sightings.size();
            sightings.clear();
        }
        if (ambiguous) {
            unstoredSightings++;
        } else {
            sightings.add(s);
        }
    }

    /** When the task's event time reaching this closes the packet: windowStart + window + grace. */
    long deadlineNs(long windowNs, long graceNs) {
        return TimeMath.saturatedAdd(TimeMath.saturatedAdd(startNs, windowNs), graceNs);
    }

    int hostCount() {
        Set<String> hosts = new LinkedHashSet<>();
        for (Sighting s : sightings) {
            hosts.add(s.host());
        }
        return hosts.size();
    }

    /** Every sighting taken in, stored or not. */
    int observationCount() {
        return sightings.size() + unstoredSightings;
    }

    String communityId() {
        return communityId;
    }

    long packetHash() {
        return packetHash;
    }

    PacketSummary summary() {
        return summary;
    }

    List<Sighting> sightings() {
        return List.copyOf(sightings);
    }

    int unstoredSightings() {
        return unstoredSightings;
    }

    boolean ambiguous() {
        return ambiguous;
    }

    long startNs() {
        return startNs;
    }

    long endNs() {
        return endNs;
    }

    long lastRecordTimestampMs() {
        return lastRecordTimestampMs;
    }
}
