package io.headerlog.streams.http;

/**
 * When an observer saw the first byte of a message: on its host's monotonic clock (durations on one
 * host: immune to wall-clock steps and skew), on its wall clock (what is reported), and on the
 * reference clock when the host has a clock model.
 *
 * @param alignedNs      wall time on the reference host's clock, or null when the host has no model
 * @param clockErrorNs   alignedNs is exact within ± this; null exactly when alignedNs is
 * @param clockReference the reference host, or null when not aligned
 */
record Stamp(long monoNs, long wallNs, Long alignedNs, Long clockErrorNs, String clockReference) {

    Stamp {
        // an aligned time without its error bound would pass for exact: treat it as not aligned
        if (alignedNs == null || clockErrorNs == null) {
            alignedNs = null;
            clockErrorNs = null;
            clockReference = null;
        }
    }

    static Stamp unaligned(long monoNs, long wallNs) {
        return new Stamp(monoNs, wallNs, null, null, null);
    }

    boolean aligned() {
        return alignedNs != null;
    }
}
