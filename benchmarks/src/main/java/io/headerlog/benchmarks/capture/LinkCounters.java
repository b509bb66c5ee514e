package io.headerlog.benchmarks.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;

/**
 * An interface's packet counters as the kernel keeps them ({@code ip -s -j link}): the oracle for
 * how many packets crossed it, independent of every capture tool measured.
 */
record LinkCounters(long rxPackets, long txPackets, long rxDropped) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static LinkCounters read(String netns, String ifName) {
        Commands.Result r = Commands.run(Duration.ofSeconds(10), "ip", "-n", netns, "-s", "-j", "link", "show", "dev", ifName)
                .orThrow();
        return parse(r.stdout());
    }

    static LinkCounters parse(String ipJson) {
        try {
            JsonNode stats = JSON.readTree(ipJson).path(0).path("stats64");
            if (stats.isMissingNode()) {
                throw new IllegalArgumentException("`ip -s -j link` printed no stats64: " + ipJson.strip());
            }
            return new LinkCounters(stats.path("rx").path("packets").asLong(), stats.path("tx").path("packets").asLong(),
                    stats.path("rx").path("dropped").asLong());
        } catch (IOException e) {
            throw new IllegalArgumentException("`ip -s -j link` printed no JSON: " + e.getMessage(), e);
        }
    }

    /** Packets in both directions. */
    long packets() {
        return rxPackets + txPackets;
    }

    LinkCounters minus(LinkCounters earlier) {
        return new LinkCounters(rxPackets - earlier.rxPackets, txPackets - earlier.txPackets, rxDropped - earlier.rxDropped);
    }
}
