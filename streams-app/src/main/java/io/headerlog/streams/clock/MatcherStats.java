package io.headerlog.streams.clock;

/**
 * What {@link HandshakeMatcher} did so far (cumulative, except {@code inFlight}).
 *
 * @param observations  observations offered
 * @param samples       clock samples produced
 * @param expired       exchanges dropped because their first reporter's clock passed the expiry
 * @param evicted       exchanges dropped because {@link MatcherConfig#maxExchanges()} was reached
 * @param unmatched     of the expired and evicted ones, those that never produced a sample (normal
 *                      for traffic to hosts without a collector)
 * @param ambiguous     exchanges given up because a host saw a request or response more than once
 *                      (retransmission) or they outgrew the per-exchange bound
 * @param inconsistent  host pairs whose four timestamps had a negative delay (see
 *                      {@link ClockSample}); in a path with two or more forwarders some of these are
 *                      structural (a downstream forwarder paired as requester with an upstream one)
 * @param inFlight      exchanges held now
 */
public record MatcherStats(long observations, long samples, long expired, long evicted, long unmatched,
        long ambiguous, long inconsistent, int inFlight) {

    /** Nothing counted, nothing held: where a matcher starts. */
    public static final MatcherStats NONE = new MatcherStats(0, 0, 0, 0, 0, 0, 0, 0);

    /** This minus {@code earlier}, field by field: what happened in between (and the change of inFlight). */
    public MatcherStats minus(MatcherStats earlier) {
        return new MatcherStats(observations - earlier.observations, samples - earlier.samples,
                expired - earlier.expired, evicted - earlier.evicted, unmatched - earlier.unmatched,
                ambiguous - earlier.ambiguous, inconsistent - earlier.inconsistent, inFlight - earlier.inFlight);
    }

    /** The same counts with nothing held: what a matcher leaves behind when its task closes. */
    public MatcherStats withNothingInFlight() {
        return new MatcherStats(observations, samples, expired, evicted, unmatched, ambiguous, inconsistent, 0);
    }
}
