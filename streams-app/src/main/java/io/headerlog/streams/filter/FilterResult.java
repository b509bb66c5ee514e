package io.headerlog.streams.filter;

import java.util.Objects;

/**
 * What a {@link RecordFilter} decided for one record: keep it, drop it, or neither because the
 * expression could not be evaluated on it (the reason says why, e.g. {@code no such key: http}); the
 * caller counts errors or sends the record to a dead-letter topic. {@link #KEEP} and {@link #DROP} are
 * shared constants, so deciding allocates nothing.
 *
 * @param outcome keep, drop or error
 * @param error   for {@link Outcome#ERROR} the reason, otherwise null
 */
public record FilterResult(Outcome outcome, String error) {
    /** The three outcomes of evaluating a filter. */
    public enum Outcome {
        KEEP, DROP, ERROR
    }

    public static final FilterResult KEEP = new FilterResult(Outcome.KEEP, null);
    public static final FilterResult DROP = new FilterResult(Outcome.DROP, null);

    public FilterResult {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.ERROR) != (error != null)) {
            throw new IllegalArgumentException("an error result, and only one, carries a reason");
        }
    }

    /** KEEP for true, DROP for false. */
    public static FilterResult of(boolean keep) {
        return keep ? KEEP : DROP;
    }

    /** An evaluation error with its reason. */
    public static FilterResult error(String reason) {
        return new FilterResult(Outcome.ERROR, Objects.requireNonNull(reason, "reason"));
    }

    /** True only when the expression evaluated to true (false for DROP and ERROR). */
    public boolean keep() {
        return outcome == Outcome.KEEP;
    }

    public boolean isError() {
        return outcome == Outcome.ERROR;
    }

    @Override
    public String toString() {
        return outcome == Outcome.ERROR ? "ERROR(" + error + ")" : outcome.name();
    }
}
