package io.headerlog.streams.align;

import io.headerlog.schema.ClockOffset;
import io.headerlog.streams.clock.HostClock;

/** ClockOffset (the record on clock.offsets) to and from the clock model's HostClock. */
public final class ClockOffsets {
    private ClockOffsets() {
    }

    public static ClockOffset toRecord(HostClock clock, long computedAtMs) {
        return ClockOffset.newBuilder()
                .setHost(clock.host())
                .setReference(clock.reference())
                .setOffsetNs(clock.offsetNs())
                .setDriftPpm(clock.driftPpm())
                .setErrorBoundNs(clock.errorBoundNs())
                .setDriftBoundPpm(clock.driftBoundPpm())
                .setSamples(clock.samples())
                .setValidFromNs(clock.validFromNs())
                .setPath(clock.path())
                .setSteps(clock.steps())
                .setComputedAtMs(computedAtMs)
                .build();
    }

    public static HostClock fromRecord(ClockOffset r) {
        return new HostClock(r.getHost(), r.getReference(), r.getOffsetNs(), r.getDriftPpm(), r.getErrorBoundNs(),
                r.getDriftBoundPpm(), r.getSamples(), r.getValidFromNs(), r.getPath(), r.getSteps());
    }
}
