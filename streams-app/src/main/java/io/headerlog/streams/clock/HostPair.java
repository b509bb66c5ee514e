package io.headerlog.streams.clock;

import java.util.Objects;

/**
 * Two hosts in canonical order ({@code first} sorts before {@code second} by {@link String#compareTo}).
 * One pair model serves both directions: a handshake A→B and one B→A measure the same clock
 * difference, so they belong in one fit. The pair's offset is always "second minus first" and its
 * time axis is first's clock.
 */
public record HostPair(String first, String second) implements Comparable<HostPair> {

    public HostPair {
        Objects.requireNonNull(first, "first host must be set");
        Objects.requireNonNull(second, "second host must be set");
        if (first.isBlank() || second.isBlank()) {
            throw new IllegalArgumentException("host ids must not be blank");
        }
        if (first.compareTo(second) >= 0) {
            throw new IllegalArgumentException("host pair must be in order first < second, was '" + first
                    + "', '" + second + "'; use HostPair.of");
        }
    }

    /** The pair of two distinct hosts, in canonical order. */
    public static HostPair of(String a, String b) {
        Objects.requireNonNull(a, "host must be set");
        Objects.requireNonNull(b, "host must be set");
        if (a.equals(b)) {
            throw new IllegalArgumentException("a host pair needs two hosts, both were '" + a + "'");
        }
        return a.compareTo(b) < 0 ? new HostPair(a, b) : new HostPair(b, a);
    }

    /** The pair a sample belongs to. */
    public static HostPair of(ClockSample sample) {
        return of(sample.hostA(), sample.hostB());
    }

    public boolean contains(String host) {
        return first.equals(host) || second.equals(host);
    }

    /** The other end of the pair from {@code host}. */
    public String other(String host) {
        if (first.equals(host)) {
            return second;
        }
        if (second.equals(host)) {
            return first;
        }
        throw new IllegalArgumentException("host '" + host + "' is not in " + this);
    }

    @Override
    public int compareTo(HostPair o) {
        int c = first.compareTo(o.first);
        return c != 0 ? c : second.compareTo(o.second);
    }

    @Override
    public String toString() {
        return first + "|" + second;
    }
}
