package io.headerlog.streams.correlate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a packet's sightings in the order the packet passed them.
 *
 * <p>Across hosts, the network orders them before the clocks do: every router lowers the TTL (hop
 * limit), so a higher TTL was seen earlier; on one segment (equal TTL) the packet leaves a host before
 * it reaches the next. Only then does event time decide: aligned time on the reference clock (an
 * unaligned sighting falls back to its own clock, so its place is a best guess). Clock error bounds
 * (tens of µs) are often larger than a veth or LAN hop, so event time alone would misorder them. Within one host
 * the capture times share one clock and order exactly, whatever the alignment says — a host that
 * got its first clock model between its ingress and egress sighting would otherwise compare times
 * on two different clocks. So each host's sightings are sorted by capture time, and the hosts'
 * sequences are merged by event time: the result is sorted by event time wherever that is
 * consistent with each host's own order, and a packet that passes a host twice (a hairpin) keeps
 * both visits in place.
 */
final class PathOrder {
    /**
     * Within a host: by capture time; at equal times the packet arrives before it leaves, then by
     * interface name so that the order never depends on arrival order.
     */
    static final Comparator<Sighting> WITHIN_HOST = Comparator.comparingLong(Sighting::captureTimeNs)
            .thenComparing(s -> !s.ingress())
            .thenComparing(Sighting::ifName)
            .thenComparing(Sighting::direction);

    /** Across hosts: by TTL (higher first), then leaving before arriving, then event time, then host. */
    private static final Comparator<Sighting> ACROSS_HOSTS = ((Comparator<Sighting>) PathOrder::byTtl)
            .thenComparing(Sighting::ingress)
            .thenComparingLong(Sighting::eventTimeNs)
            .thenComparing(Sighting::host);

    /** Higher TTL first; a sighting whose TTL is unknown ties with every other. */
    private static int byTtl(Sighting a, Sighting b) {
        if (a.ttl() == Sighting.NO_TTL || b.ttl() == Sighting.NO_TTL) {
            return 0;
        }
        return Integer.compare(b.ttl(), a.ttl());
    }

    private PathOrder() {
    }

    static List<Sighting> order(List<Sighting> sightings) {
        Map<String, List<Sighting>> byHost = new LinkedHashMap<>();
        for (Sighting s : sightings) {
            byHost.computeIfAbsent(s.host(), h -> new ArrayList<>()).add(s);
        }
        List<List<Sighting>> lanes = new ArrayList<>(byHost.values());
        for (List<Sighting> lane : lanes) {
            lane.sort(WITHIN_HOST);
        }
        // k-way merge of the hosts' sequences; k is the number of hosts on a path: a linear scan will do.
        int[] next = new int[lanes.size()];
        List<Sighting> out = new ArrayList<>(sightings.size());
        while (out.size() < sightings.size()) {
            int best = -1;
            for (int i = 0; i < lanes.size(); i++) {
                if (next[i] < lanes.get(i).size() && (best < 0
                        || ACROSS_HOSTS.compare(lanes.get(i).get(next[i]), lanes.get(best).get(next[best])) < 0)) {
                    best = i;
                }
            }
            out.add(lanes.get(best).get(next[best]++));
        }
        return out;
    }
}
