package io.headerlog.streams.clock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The clock relation of one host pair: offset (second − first) and drift over a sliding window of
 * samples taken in either direction.
 *
 * <ul>
 *   <li><b>Filter.</b> The window is cut into buckets; each keeps only its lowest-delay sample. The
 *   delay is the only thing a sample's error depends on, and queueing only ever adds to it.</li>
 *   <li><b>Fit.</b> {@link LinearFit} over the kept samples, evaluated at the newest sample's time.</li>
 *   <li><b>Steps.</b> A sample whose interval (offset ± delay/2) misses the current estimate ± (its
 *   bound + the step threshold) is held, not used. When the configured number of such samples come
 *   in a row and agree with each other, the clock stepped (someone set it): the window is emptied
 *   and the model restarts from them. Anything that fits the old estimate in between clears the held
 *   samples — a lone wrong sample never moves the model.</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance per stream task.
 */
public final class PairClockModel {
    /** What {@link #add} did with a sample. */
    public enum Outcome {
        /** In the window (it may not be its bucket's best; then the bucket ignores it). */
        ACCEPTED,
        /** Older than the window, or a late sample of the clock from before the latest step: dropped. */
        STALE,
        /** Disagrees with the estimate: held as a possible clock step. */
        HELD,
        /** Completed a step: the model restarted from the held samples. */
        STEP
    }

    private final HostPair pair;
    private final ClockModelConfig config;
    private final long bucketNs;
    private final long windowNs;
    private final TreeMap<Long, ClockSample> buckets = new TreeMap<>();
    private final ArrayDeque<ClockSample> pending = new ArrayDeque<>();
    private long newestNs = Long.MIN_VALUE;
    private long accepted;
    private long stale;
    private long rejectedOutliers;
    private long steps;
    private LinearFit.Fit fit; // cached; null when the window changed since
    // The estimate from before the latest step, while late samples of the old clock may still come.
    private LinearFit.Fit beforeStep;
    private long stepAtNs;

    public PairClockModel(HostPair pair, ClockModelConfig config) {
        this.pair = Objects.requireNonNull(pair, "pair must be set");
        this.config = Objects.requireNonNull(config, "clock model config must be set");
        this.bucketNs = config.bucket().toNanos();
        this.windowNs = config.window().toNanos();
    }

    /**
     * A model continuing from a {@link #snapshot()}. The estimate from before a step is not part of
     * the snapshot: a restore within {@link ClockModelConfig#stepGrace()} of a step loses the guard
     * against late samples of the old clock (they are then held like any disagreeing sample).
     */
    public static PairClockModel restore(PairModelSnapshot snapshot, ClockModelConfig config) {
        PairClockModel model = new PairClockModel(snapshot.pair(), config);
        model.newestNs = snapshot.newestNs();
        for (ClockSample s : snapshot.kept()) {
            model.keepIfBest(s);
        }
        model.trim();
        model.pending.addAll(snapshot.pending());
        while (model.pending.size() > config.stepSamples()) {
            model.pending.pollFirst();
        }
        model.accepted = snapshot.accepted();
        model.stale = snapshot.stale();
        model.rejectedOutliers = snapshot.rejectedOutliers();
        model.steps = snapshot.steps();
        return model;
    }

    public Outcome add(ClockSample sample) {
        Objects.requireNonNull(sample, "sample must be set");
        if (!HostPair.of(sample).equals(pair)) {
            throw new IllegalArgumentException("sample of " + HostPair.of(sample) + " given to the model of " + pair);
        }
        long t = timeOnFirst(sample);
        if (newestNs != Long.MIN_VALUE && t < newestNs - windowNs) {
            stale++;
            return Outcome.STALE;
        }
        LinearFit.Fit current = fit();
        if (current != null && disagrees(current, sample)) {
            if (isLateSampleOfTheOldClock(sample)) {
                stale++;
                return Outcome.STALE;
            }
            pending.addLast(sample);
            if (pending.size() > config.stepSamples()) {
                pending.pollFirst();
                rejectedOutliers++;
            }
            if (pending.size() == config.stepSamples() && heldSamplesAgree()) {
                restartFromHeld();
                return Outcome.STEP;
            }
            return Outcome.HELD;
        }
        rejectedOutliers += pending.size();
        pending.clear();
        accept(sample);
        return Outcome.ACCEPTED;
    }

    /** The current estimate, empty before the first sample. */
    public Optional<PairEstimate> estimate() {
        LinearFit.Fit f = fit();
        if (f == null) {
            return Optional.empty();
        }
        return Optional.of(new PairEstimate(pair, f.t0(), f.offsetNs(), f.slope() * 1e6,
                (long) Math.ceil(f.errorBoundNs()), f.slopeBound() * 1e6, f.points(), f.minDelayNs(), steps));
    }

    public PairModelSnapshot snapshot() {
        return new PairModelSnapshot(pair, new ArrayList<>(buckets.values()), new ArrayList<>(pending), newestNs,
                accepted, stale, rejectedOutliers, steps);
    }

    public HostPair pair() {
        return pair;
    }

    public long accepted() {
        return accepted;
    }

    public long stale() {
        return stale;
    }

    public long rejectedOutliers() {
        return rejectedOutliers;
    }

    public long steps() {
        return steps;
    }

    /** Samples held as a possible step right now. */
    public int held() {
        return pending.size();
    }

    /** The sample's time on first's clock: A's midpoint if A is first, else B's. */
    long timeOnFirst(ClockSample s) {
        return s.hostA().equals(pair.first()) ? s.midpointANs() : s.midpointBNs();
    }

    /** The sample's offset as second minus first. */
    long offsetOf(ClockSample s) {
        return s.hostA().equals(pair.first()) ? s.offsetNs() : Math.negateExact(s.offsetNs());
    }

    private boolean disagrees(LinearFit.Fit f, ClockSample s) {
        long t = timeOnFirst(s);
        double miss = Math.abs(offsetOf(s) - f.offsetAt(t));
        return miss > s.delayNs() / 2.0 + f.errorBoundAt(t) + config.stepThreshold().toNanos();
    }

    private boolean isLateSampleOfTheOldClock(ClockSample s) {
        if (beforeStep == null) {
            return false;
        }
        if (newestNs - stepAtNs > config.stepGrace().toNanos()) {
            beforeStep = null;
            return false;
        }
        return !disagrees(beforeStep, s);
    }

    /** The held samples' intervals overlap, give or take the threshold and an unfitted drift. */
    private boolean heldSamplesAgree() {
        double highestLow = Double.NEGATIVE_INFINITY;
        double lowestHigh = Double.POSITIVE_INFINITY;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (ClockSample s : pending) {
            double o = offsetOf(s);
            highestLow = Math.max(highestLow, o - s.delayNs() / 2.0);
            lowestHigh = Math.min(lowestHigh, o + s.delayNs() / 2.0);
            first = Math.min(first, timeOnFirst(s));
            last = Math.max(last, timeOnFirst(s));
        }
        double driftAllowance = config.assumedMaxDriftPpm() * 1e-6 * (double) (last - first);
        return highestLow - lowestHigh <= config.stepThreshold().toNanos() + driftAllowance;
    }

    private void restartFromHeld() {
        beforeStep = fit();
        buckets.clear();
        newestNs = Long.MIN_VALUE;
        fit = null;
        steps++;
        while (!pending.isEmpty()) {
            accept(pending.pollFirst());
        }
        stepAtNs = newestNs;
    }

    private void accept(ClockSample sample) {
        accepted++;
        newestNs = Math.max(newestNs, timeOnFirst(sample));
        keepIfBest(sample);
        trim();
        fit = null;
    }

    private void keepIfBest(ClockSample sample) {
        long bucket = Math.floorDiv(timeOnFirst(sample), bucketNs);
        ClockSample best = buckets.get(bucket);
        if (best == null || sample.delayNs() < best.delayNs()) {
            buckets.put(bucket, sample);
        }
    }

    /** Drops whatever is older than the window behind the newest sample. */
    private void trim() {
        if (newestNs == Long.MIN_VALUE) {
            return;
        }
        long cutoff = newestNs - windowNs;
        buckets.headMap(Math.floorDiv(cutoff, bucketNs)).clear();
        Map.Entry<Long, ClockSample> oldest = buckets.firstEntry();
        if (oldest != null && timeOnFirst(oldest.getValue()) < cutoff) {
            buckets.pollFirstEntry();
        }
    }

    private LinearFit.Fit fit() {
        if (fit == null && !buckets.isEmpty()) {
            int n = buckets.size();
            long[] time = new long[n];
            long[] offset = new long[n];
            long[] delay = new long[n];
            int i = 0;
            for (ClockSample s : buckets.values()) {
                time[i] = timeOnFirst(s);
                offset[i] = offsetOf(s);
                delay[i] = s.delayNs();
                i++;
            }
            fit = LinearFit.fit(time, offset, delay, n, newestNs, config);
        }
        return fit;
    }
}
