package io.headerlog.streams.correlate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which recent flows this task has seen at two or more hosts: the denominator of the match rate. A
 * packet seen at one host "should have" matched only if its flow crosses another observed host —
 * a flow to the internet, seen only at the client, cannot match and must not drag the rate down,
 * while a lone sighting in a flow that both ends report points at loss, inconsistent sampling or
 * late data.
 *
 * <p>Memory is bounded: an LRU of flows, each remembered by its first host and whether another one
 * showed up (all the question needs). A forgotten flow's later lone sightings leave the
 * denominator: the rate can err high for flows quieter than the LRU's reach, but it never counts a
 * one-host flow against matching.
 */
final class FlowHosts {
    private record Seen(String firstHost, boolean multiHost) {
    }

    private final Map<String, Seen> flows;

    FlowHosts(int maxFlows) {
        if (maxFlows < 1) {
            throw new IllegalArgumentException("max flows must be >= 1, was " + maxFlows);
        }
        this.flows = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
                return size() > maxFlows;
            }
        };
    }

    void saw(String communityId, String host) {
        Seen seen = flows.get(communityId);
        if (seen == null) {
            flows.put(communityId, new Seen(host, false));
        } else if (!seen.multiHost() && !seen.firstHost().equals(host)) {
            flows.put(communityId, new Seen(seen.firstHost(), true));
        }
    }

    boolean multiHost(String communityId) {
        Seen seen = flows.get(communityId);
        return seen != null && seen.multiHost();
    }

    int size() {
        return flows.size();
    }
}
