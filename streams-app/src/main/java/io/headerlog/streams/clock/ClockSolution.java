package io.headerlog.streams.clock;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The result of {@link ClockSolver}: the chosen reference and the clock of every host connected to
 * it, the reference included. A host missing from {@code clocks} has no model: no chain of pair
 * estimates links it to the reference (yet), so its timestamps cannot be put on the reference clock.
 *
 * @param reference     the reference host; empty only when there was nothing to solve
 * @param atReferenceNs the reference-clock time every clock's validFromNs is set to
 * @param clocks        per host, in host order
 */
public record ClockSolution(Optional<String> reference, long atReferenceNs, Map<String, HostClock> clocks) {

    public ClockSolution {
        Objects.requireNonNull(reference, "reference must be set (possibly empty)");
        clocks = Collections.unmodifiableMap(new TreeMap<>(clocks));
        if (reference.isEmpty() && !clocks.isEmpty()) {
            throw new IllegalArgumentException("clocks without a reference");
        }
        for (HostClock c : clocks.values()) {
            if (!reference.get().equals(c.reference())) {
                throw new IllegalArgumentException("clock of " + c.host() + " is relative to " + c.reference()
                        + ", not to the solution's reference " + reference.get());
            }
        }
    }

    static ClockSolution empty(long atReferenceNs) {
        return new ClockSolution(Optional.empty(), atReferenceNs, Map.of());
    }

    /** The clock of {@code host}, empty when the host has no model. */
    public Optional<HostClock> clock(String host) {
        return Optional.ofNullable(clocks.get(host));
    }
}
