package io.headerlog.streams.clock;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of {@link PairClockModel}; the defaults suit hosts on one LAN with handshakes every few
 * seconds or more often. See docs/clock-model.md for why each value is what it is.
 *
 * @param window             how far back samples count; older ones leave the fit
 * @param bucket             the window is cut into buckets of this length and only the lowest-delay
 *                           sample of each bucket is kept (NTP's clock filter, by time instead of
 *                           by count, so a burst of handshakes does not crowd out the rest)
 * @param minDriftSpan       drift is fitted only when the kept samples span at least this long (and
 *                           there are at least three); before that the offset is taken as constant
 *                           and {@code assumedMaxDriftPpm} widens the error bound instead
 * @param assumedMaxDriftPpm the drift no clock is assumed to exceed, used only while drift is not
 *                           fitted; 100 ppm covers free-running quartz oscillators
 * @param stepThreshold      slack beyond the error bounds before a sample counts as "the clock jumped"
 * @param stepSamples        consecutive, mutually consistent such samples that make a step: the model
 *                           then restarts from them
 * @param stepGrace          for this long after a step (on the pair's first clock), a sample that
 *                           still fits the estimate from before the step is a late one of the old
 *                           clock (its sightings were delayed) and is dropped, so it cannot step the
 *                           model back; 10 s matches the matcher's default expiry, which bounds how
 *                           late such a sample can be completed
 * @param delayFloor         the delay below which samples weigh no more (guards the 1/delay² weight
 *                           against a zero delay on loopback-fast paths)
 */
public record ClockModelConfig(Duration window, Duration bucket, Duration minDriftSpan, double assumedMaxDriftPpm,
        Duration stepThreshold, int stepSamples, Duration stepGrace, Duration delayFloor) {

    public static final ClockModelConfig DEFAULTS = new ClockModelConfig(Duration.ofSeconds(120), Duration.ofSeconds(2),
            Duration.ofSeconds(10), 100.0, Duration.ofMillis(1), 3, Duration.ofSeconds(10), Duration.ofNanos(1_000));

    public ClockModelConfig {
        requirePositive("window", window);
        requirePositive("bucket", bucket);
        requirePositive("step threshold", stepThreshold);
        requirePositive("delay floor", delayFloor);
        Objects.requireNonNull(stepGrace, "step grace must be set");
        if (stepGrace.isNegative()) {
            throw new IllegalArgumentException("step grace must be >= 0, was " + stepGrace);
        }
        Objects.requireNonNull(minDriftSpan, "min drift span must be set");
        if (bucket.compareTo(window) > 0) {
            throw new IllegalArgumentException("bucket (" + bucket + ") must not be longer than the window (" + window + ")");
        }
        if (window.dividedBy(bucket) > 100_000) {
            throw new IllegalArgumentException("window / bucket must be at most 100000 buckets, was "
                    + window.dividedBy(bucket));
        }
        if (minDriftSpan.isNegative() || minDriftSpan.compareTo(window) > 0) {
            throw new IllegalArgumentException("min drift span must be within 0.." + window + ", was " + minDriftSpan);
        }
        if (!(assumedMaxDriftPpm >= 0 && assumedMaxDriftPpm <= 1e4)) {
            throw new IllegalArgumentException("assumed max drift must be 0..10000 ppm, was " + assumedMaxDriftPpm);
        }
        if (stepSamples < 1 || stepSamples > 100) {
            throw new IllegalArgumentException("step samples must be 1..100, was " + stepSamples);
        }
    }

    public ClockModelConfig withWindow(Duration value) {
        return new ClockModelConfig(value, bucket, minDriftSpan, assumedMaxDriftPpm, stepThreshold, stepSamples,
                stepGrace, delayFloor);
    }

    public ClockModelConfig withBucket(Duration value) {
        return new ClockModelConfig(window, value, minDriftSpan, assumedMaxDriftPpm, stepThreshold, stepSamples,
                stepGrace, delayFloor);
    }

    public ClockModelConfig withMinDriftSpan(Duration value) {
        return new ClockModelConfig(window, bucket, value, assumedMaxDriftPpm, stepThreshold, stepSamples, stepGrace, delayFloor);
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name + " must be set");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + d);
        }
    }
}
