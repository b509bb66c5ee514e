package io.headerlog.streams.clock;

import io.headerlog.streams.clock.Observation.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sightings of one request/response exchange (one flow, one exchange id) at every host that
 * reported it, and the clock samples they make.
 *
 * <p>A requester X is a host that saw the request leave and the response arrive; a responder Y is a
 * host that saw the request arrive and the response leave. Every (X, Y) with X ≠ Y whose request
 * sightings carry the same packet hash, and whose response sightings do too, is a sample — the
 * endpoints, and also any forwarder on the path (its residence time is subtracted like a server's
 * processing time). Sightings may come in any order, so every new one re-checks the pairs not yet
 * done; each pair is produced (or rejected) once.
 */
final class Exchange {
    private record Slot(String host, boolean egress, Role role) {
    }

    private record Sighting(long timeNs, long packetHash) {
    }

    final String firstHost;
    final long firstTimeNs;
    private final Map<Slot, Sighting> sightings = new HashMap<>();
    // Insertion order keeps the produced samples in a stable order for a given input order.
    private final Set<String> hosts = new LinkedHashSet<>();
    private final Set<String> donePairs = new HashSet<>();
    private boolean ambiguous;
    private boolean producedSample;

    Exchange(Observation first) {
        this.firstHost = first.host();
        this.firstTimeNs = first.timeNs();
    }

    boolean producedSample() {
        return producedSample;
    }

    /**
     * Adds a sighting and returns the samples it completes (usually none). An ambiguous exchange
     * takes no more sightings: which retransmission answered which is unknowable from headers, and a
     * wrong guess would be a sample with a wrong, small delay — the kind the model trusts most.
     */
    List<ClockSample> add(Observation o, MatcherConfig config, MatcherCounters counters) {
        if (ambiguous) {
            return List.of();
        }
        Slot slot = new Slot(o.host(), o.egress(), o.role());
        Sighting seen = sightings.get(slot);
        Sighting now = new Sighting(o.timeNs(), o.packetHash());
        if (seen != null) {
            boolean samePacket = seen.packetHash() == o.packetHash()
                    && apart(seen.timeNs(), o.timeNs()) <= config.duplicateWindowNs();
            if (!samePacket) {
                return giveUp(counters);
            }
            // The same packet crossing stacked devices: keep the sighting nearest the wire — the last
            // one on the way out, the first one on the way in.
            boolean nearer = o.egress() ? o.timeNs() > seen.timeNs() : o.timeNs() < seen.timeNs();
            if (nearer) {
                sightings.put(slot, now);
            }
        } else {
            if (sightings.size() >= config.maxObservationsPerExchange()) {
                return giveUp(counters);
            }
            sightings.put(slot, now);
            hosts.add(o.host());
        }
        return completedSamples(counters);
    }

    /** |a − b|, saturated instead of overflowing for garbage timestamps. */
    static long apart(long a, long b) {
        long d = a - b;
        boolean overflow = ((a ^ b) & (a ^ d)) < 0;
        return overflow || d == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(d);
    }

    private List<ClockSample> giveUp(MatcherCounters counters) {
        ambiguous = true;
        sightings.clear();
        counters.ambiguous++;
        return List.of();
    }

    private List<ClockSample> completedSamples(MatcherCounters counters) {
        List<ClockSample> out = List.of();
        for (String x : hosts) {
            Sighting requestOut = sightings.get(new Slot(x, true, Role.REQUEST));
            Sighting responseIn = sightings.get(new Slot(x, false, Role.RESPONSE));
            if (requestOut == null || responseIn == null) {
                continue;
            }
            for (String y : hosts) {
                if (x.equals(y) || donePairs.contains(x + '\n' + y)) {
                    continue;
                }
                Sighting requestIn = sightings.get(new Slot(y, false, Role.REQUEST));
                Sighting responseOut = sightings.get(new Slot(y, true, Role.RESPONSE));
                if (requestIn == null || responseOut == null
                        || requestIn.packetHash() != requestOut.packetHash()
                        || responseOut.packetHash() != responseIn.packetHash()) {
                    continue;
                }
                donePairs.add(x + '\n' + y);
                long t1 = requestOut.timeNs();
                long t2 = requestIn.timeNs();
                long t3 = responseOut.timeNs();
                long t4 = responseIn.timeNs();
                if (!ClockSample.isConsistent(t1, t2, t3, t4)) {
                    counters.inconsistent++;
                    continue;
                }
                if (out.isEmpty()) {
                    out = new ArrayList<>(2);
                }
                out.add(new ClockSample(x, y, t1, t2, t3, t4));
                producedSample = true;
                counters.samples++;
            }
        }
        return out;
    }
}
