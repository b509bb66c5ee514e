package io.headerlog.streams.clock;

/** The matcher's running counts; single-threaded like everything in a Kafka Streams task. */
final class MatcherCounters {
    long observations;
    long samples;
    long expired;
    long evicted;
    long unmatched;
    long ambiguous;
    long inconsistent;

    MatcherStats snapshot(int inFlight) {
        return new MatcherStats(observations, samples, expired, evicted, unmatched, ambiguous, inconsistent, inFlight);
    }
}
