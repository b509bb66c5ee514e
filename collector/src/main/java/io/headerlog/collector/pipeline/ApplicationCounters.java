package io.headerlog.collector.pipeline;

/** Application messages the collector decoded; written by the reader thread, read by stats. */
public final class ApplicationCounters {
    volatile long http;
    volatile long dns;
    volatile long tls;
    volatile long reassembled;
    volatile long truncated;
    volatile long evicted;

    public long http() {
        return http;
    }

    public long dns() {
        return dns;
    }

    public long tls() {
        return tls;
    }

    /** Messages put together from more than one TCP segment. */
    public long reassembled() {
        return reassembled;
    }

    /** Messages published incomplete: too long, cut by the snap length, a gap, a timeout or an end. */
    public long truncated() {
        return truncated;
    }

    /** Incomplete messages given up because the reassembly memory limits were reached. */
    public long evicted() {
        return evicted;
    }
}
