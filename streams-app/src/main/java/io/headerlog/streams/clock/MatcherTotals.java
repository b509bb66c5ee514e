package io.headerlog.streams.clock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The handshake matchers' counts summed over one instance's tasks. Each matcher belongs to one task
 * and is single-threaded ({@link HandshakeMatcher}); its processor adds what changed since its last
 * report once a second and when the task closes, so the stream threads never share a matcher and the
 * stats thread never reads one. Plain atomics: each number is read on its own.
 */
public final class MatcherTotals {
    private final AtomicLong observations = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicLong ambiguous = new AtomicLong();
    private final AtomicLong inconsistent = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();

    /** Adds one matcher's change since its previous report ({@link MatcherStats#minus}). */
    public void add(MatcherStats delta) {
        observations.addAndGet(delta.observations());
        samples.addAndGet(delta.samples());
        expired.addAndGet(delta.expired());
        evicted.addAndGet(delta.evicted());
        unmatched.addAndGet(delta.unmatched());
        ambiguous.addAndGet(delta.ambiguous());
        inconsistent.addAndGet(delta.inconsistent());
        inFlight.addAndGet(delta.inFlight());
    }

    public long observations() {
        return observations.get();
    }

    public long samples() {
        return samples.get();
    }

    public long expired() {
        return expired.get();
    }

    public long evicted() {
        return evicted.get();
    }

    public long unmatched() {
        return unmatched.get();
    }

    public long ambiguous() {
        return ambiguous.get();
    }

    public long inconsistent() {
        return inconsistent.get();
    }

    /** Exchanges held now over every task, as of each matcher's last report. */
    public long inFlight() {
        return inFlight.get();
    }

    @Override
    public String toString() {
        return "observations=" + observations() + " samples=" + samples() + " expired=" + expired() + " evicted="
                + evicted() + " unmatched=" + unmatched() + " ambiguous=" + ambiguous() + " inconsistent="
                + inconsistent() + " in-flight=" + inFlight();
    }
}
