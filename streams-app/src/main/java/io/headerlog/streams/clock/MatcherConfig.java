package io.headerlog.streams.clock;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of {@link HandshakeMatcher}.
 *
 * @param expiry                     how long an exchange waits for its other observations, measured
 *                                   on the clock of the host that reported it first; after that it
 *                                   is dropped (and counted unmatched if it gave no sample)
 * @param maxExchanges               most exchanges in flight; beyond it the oldest is evicted, so
 *                                   memory stays bounded whatever the traffic (e.g. a SYN flood)
 * @param duplicateWindow            two sightings of one packet, at one host, in one direction, at most
 *                                   this far apart are the same packet crossing stacked devices (a
 *                                   bridge and its port, a VLAN device and its parent); farther apart
 *                                   they are a retransmission and make the exchange ambiguous
 * @param maxObservationsPerExchange bound on one exchange's memory; an exchange that reaches it is
 *                                   treated as ambiguous
 */
public record MatcherConfig(Duration expiry, int maxExchanges, Duration duplicateWindow,
        int maxObservationsPerExchange) {

    public static final MatcherConfig DEFAULTS =
            new MatcherConfig(Duration.ofSeconds(10), 100_000, Duration.ofMillis(1), 32);

    public MatcherConfig {
        Objects.requireNonNull(expiry, "expiry must be set");
        Objects.requireNonNull(duplicateWindow, "duplicate window must be set");
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("expiry must be > 0, was " + expiry);
        }
        if (duplicateWindow.isNegative() || duplicateWindow.compareTo(expiry) >= 0) {
            throw new IllegalArgumentException("duplicate window must be >= 0 and < expiry (" + expiry + "), was "
                    + duplicateWindow);
        }
        if (maxExchanges < 1) {
            throw new IllegalArgumentException("max exchanges must be >= 1, was " + maxExchanges);
        }
        // Two hosts need four observations (request out/in, response out/in).
        if (maxObservationsPerExchange < 4) {
            throw new IllegalArgumentException("max observations per exchange must be >= 4, was "
                    + maxObservationsPerExchange);
        }
    }

    public MatcherConfig withExpiry(Duration value) {
        return new MatcherConfig(value, maxExchanges, duplicateWindow, maxObservationsPerExchange);
    }

    public MatcherConfig withMaxExchanges(int value) {
        return new MatcherConfig(expiry, value, duplicateWindow, maxObservationsPerExchange);
    }

    long expiryNs() {
        return expiry.toNanos();
    }

    long duplicateWindowNs() {
        return duplicateWindow.toNanos();
    }
}
