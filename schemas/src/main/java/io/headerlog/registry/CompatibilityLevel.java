package io.headerlog.registry;

import java.util.Locale;

/** The Confluent API compatibility levels, with the direction(s) each one checks. */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** New schema must read data written with the old one(s). */
    final boolean backward;
    /** Old schema(s) must read data written with the new one. */
    final boolean forward;
    /** Check against all earlier versions, not only the latest. */
    final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    public static CompatibilityLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown compatibility level '" + text
                    + "'; use one of " + java.util.Arrays.toString(values()), e);
        }
    }
}
