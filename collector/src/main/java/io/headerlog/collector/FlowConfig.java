package io.headerlog.collector;

import io.headerlog.collector.bpf.CaptureConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Exact flow counters in the kernel, exported as FlowSummary records.
 *
 * @param entries       flows the kernel table holds (0 turns flow counters off)
 * @param idleTimeout   a flow without packets this long is exported and forgotten
 * @param activeTimeout a flow older than this is exported and counted afresh
 */
public record FlowConfig(int entries, Duration idleTimeout, Duration activeTimeout) {
    public static final FlowConfig DEFAULTS = new FlowConfig(CaptureConfig.DEFAULT_FLOW_ENTRIES,
            Duration.ofSeconds(15), Duration.ofSeconds(60));

    public FlowConfig {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(activeTimeout, "activeTimeout");
        if (entries < 0 || entries > CaptureConfig.MAX_FLOW_ENTRIES) {
            throw new IllegalArgumentException("--flow-entries must be 0.." + CaptureConfig.MAX_FLOW_ENTRIES + ", got " + entries);
        }
        if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--flow-idle-timeout must be at least 1 s, got " + idleTimeout);
        }
        if (activeTimeout.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException("--flow-active-timeout (" + activeTimeout.toSeconds()
                    + " s) must not be shorter than --flow-idle-timeout (" + idleTimeout.toSeconds() + " s)");
        }
    }
}
