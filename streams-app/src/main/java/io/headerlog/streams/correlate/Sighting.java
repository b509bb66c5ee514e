package io.headerlog.streams.correlate;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import java.util.Objects;

/**
 * One host's sighting of a packet: where (host, interface, direction) and when, on the host's own
 * clock and, if the host has a clock model, on the reference clock.
 *
 * @param alignedTimeNs  null when not aligned; then clockErrorNs and clockReference are null too
 */
record Sighting(String host, String ifName, String direction, long captureTimeNs, Long alignedTimeNs,
        Long clockErrorNs, String clockReference, int ttl) {

    /** TTL / hop limit not known. */
    static final int NO_TTL = -1;

    Sighting(String host, String ifName, String direction, long captureTimeNs, Long alignedTimeNs, Long clockErrorNs,
            String clockReference) {
        this(host, ifName, direction, captureTimeNs, alignedTimeNs, clockErrorNs, clockReference, NO_TTL);
    }

    static final String INGRESS = "ingress";

    public Sighting {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(ifName, "ifName");
        Objects.requireNonNull(direction, "direction");
        // Half an alignment is no alignment: a time without its bound cannot give a delay ± error.
        if (alignedTimeNs == null || clockErrorNs == null || clockReference == null) {
            alignedTimeNs = null;
            clockErrorNs = null;
            clockReference = null;
        }
    }

    static Sighting of(EnrichedHeader e) {
        PacketHeader h = e.getHeader();
        return new Sighting(h.getHost(), h.getIfName(), h.getDirection(), h.getCaptureTimeNs(), e.getAlignedTimeNs(),
                e.getClockErrorNs(), e.getClockReference(), h.getIp() != null ? h.getIp().getTtl() : NO_TTL);
    }

    public boolean aligned() {
        return alignedTimeNs != null;
    }

    boolean ingress() {
        return INGRESS.equals(direction);
    }

    /**
     * The time that places this sighting among other hosts' sightings: the reference clock when
     * known, else the host's own clock (wrong by the host's unknown offset, which the window absorbs).
     */
    public long eventTimeNs() {
        return alignedTimeNs != null ? alignedTimeNs : captureTimeNs;
    }

    /** The same observation point: a second sighting there is another crossing of the label. */
    boolean samePoint(Sighting other) {
        return host.equals(other.host) && ifName.equals(other.ifName) && direction.equals(other.direction);
    }

    /** Both on one reference clock, so their aligned times can be subtracted. */
    boolean alignedWith(Sighting other) {
        return aligned() && other.aligned() && clockReference.equals(other.clockReference);
    }
}
