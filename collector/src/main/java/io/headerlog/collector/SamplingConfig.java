package io.headerlog.collector;

import io.headerlog.collector.bpf.EventLayout;

/**
 * Consistent sampling in the kernel: keep 1 in {@code rate} packets, chosen by a hash of header
 * fields that every host sees alike, so all hosts keep the same packets.
 *
 * @param rate           1 keeps everything
 * @param keepTcpControl keep TCP SYN, FIN and RST regardless of the rate (handshakes stay whole)
 * @param keepL7         keep packets that start an HTTP/TLS/DNS message, and their follow segments
 */
public record SamplingConfig(int rate, boolean keepTcpControl, boolean keepL7) {
    public static final SamplingConfig ALL = new SamplingConfig(1, true, true);

    public SamplingConfig {
        if (rate < 1 || rate > EventLayout.SAMPLE_RATE_MAX) {
            throw new IllegalArgumentException("--sample-rate must be 1.." + EventLayout.SAMPLE_RATE_MAX
                    + " (keep 1 in N packets), got " + rate);
        }
    }
}
