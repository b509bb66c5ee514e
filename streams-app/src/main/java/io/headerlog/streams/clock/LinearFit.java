package io.headerlog.streams.clock;

/**
 * Weighted least-squares fit of offset against time, with an error bound that does not rest on
 * statistics but on what each sample guarantees.
 *
 * <p>Each point i says the true offset at t_i lies within o_i ± d_i/2 (d_i its delay), however the
 * delay splits between the two directions. Any linear estimator evaluated at t0 is
 * {@code Σ c_i(t0) · o_i} with {@code Σ c_i = 1} (and {@code Σ c_i (t_i − t0) = 0} for the line), so
 * if the true offset is linear over the window its error is {@code Σ c_i (o_i − θ(t_i))}, at most
 * {@code Σ |c_i| · d_i/2}. That is the bound reported, plus the weighted RMS residual as a margin
 * for what the line cannot express (timestamp noise, a drift that wanders). It is never below half
 * the smallest delay used, and it grows when the estimate is extrapolated to the window's edge.
 *
 * <p>Weights are 1/d², so a sample that sat in a queue counts little — its interval is wide, and
 * its contribution to the bound, |c_i| · d_i/2, shrinks like 1/d.
 */
final class LinearFit {
    /**
     * A fitted line, evaluated at {@code t0} (ns on the pair's first clock).
     *
     * @param offsetNs     offset at t0
     * @param slope        d offset / d t (dimensionless; ×10⁶ = ppm)
     * @param errorBoundNs bound on |offset error| at t0
     * @param slopeBound   bound on |slope error|; when the drift is not fitted, the assumed maximum
     */
    record Fit(long t0, long offsetNs, double slope, double errorBoundNs, double slopeBound, int points,
            long minDelayNs, boolean driftFitted) {

        double offsetAt(long t) {
            return offsetNs + slope * (double) (t - t0);
        }

        /** The bound at t: it can only widen by the slope's uncertainty times the distance from t0. */
        double errorBoundAt(long t) {
            return errorBoundNs + slopeBound * Math.abs((double) (t - t0));
        }
    }

    private LinearFit() {
    }

    /**
     * Fits {@code n} points (time on the first host's clock, offset, delay; all ns) and evaluates the
     * result at {@code t0}. Needs n ≥ 1.
     */
    static Fit fit(long[] time, long[] offset, long[] delay, int n, long t0, ClockModelConfig config) {
        if (n < 1) {
            throw new IllegalArgumentException("a fit needs at least one point");
        }
        // Work relative to t0 and to the first offset: epoch-sized values would lose the ns in a double.
        long baseOffset = offset[0];
        double floor = config.delayFloor().toNanos();
        double[] t = new double[n];
        double[] o = new double[n];
        double[] w = new double[n];
        double sumW = 0;
        double sumWt = 0;
        double sumWo = 0;
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        long minDelay = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            t[i] = (double) (time[i] - t0);
            o[i] = (double) (offset[i] - baseOffset);
            double d = Math.max(delay[i], floor);
            w[i] = 1.0 / (d * d);
            sumW += w[i];
            sumWt += w[i] * t[i];
            sumWo += w[i] * o[i];
            minT = Math.min(minT, time[i]);
            maxT = Math.max(maxT, time[i]);
            minDelay = Math.min(minDelay, delay[i]);
        }
        double meanT = sumWt / sumW;
        double meanO = sumWo / sumW;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += w[i] * (t[i] - meanT) * (t[i] - meanT);
            sxy += w[i] * (t[i] - meanT) * (o[i] - meanO);
        }
        boolean driftFitted = n >= 3 && maxT - minT >= config.minDriftSpan().toNanos() && sxx > 0;
        double slope = driftFitted ? sxy / sxx : 0.0;
        // Even unfitted, the samples may show a drift beyond the assumed maximum (a badly tuned
        // oscillator): then the bound must assume at least what they show, or it would lie.
        double observedDrift = sxx > 0 ? Math.abs(sxy / sxx) : 0.0;
        // The line at t0 (= 0 on the relative axis).
        double offsetAtT0 = meanO + slope * (0 - meanT);

        double delayTerm = 0;
        double slopeBound = 0; // Σ |k_i| · d_i/2: how wrong the slope can be, given the intervals
        double residualSq = 0;
        for (int i = 0; i < n; i++) {
            double halfDelay = delay[i] / 2.0;
            double c = w[i] / sumW;
            double k = sxx > 0 ? w[i] * (t[i] - meanT) / sxx : 0.0;
            if (driftFitted) {
                c += k * (0 - meanT);
            }
            slopeBound += Math.abs(k) * halfDelay;
            delayTerm += Math.abs(c) * halfDelay;
            double r = o[i] - (meanO + slope * (t[i] - meanT));
            residualSq += w[i] * r * r;
        }
        if (!driftFitted) {
            // An unfitted drift moves the truth between the samples' weighted mean time and t0 (the
            // weighted mean itself cancels drift to first order); bound it by the assumed maximum,
            // or by what the samples show if that is more.
            slopeBound = Math.max(config.assumedMaxDriftPpm() * 1e-6, observedDrift + slopeBound);
            delayTerm += slopeBound * Math.abs(meanT);
        }
        double bound = delayTerm + Math.sqrt(residualSq / sumW);
        return new Fit(t0, baseOffset + Math.round(offsetAtT0), slope, bound, slopeBound, n, minDelay, driftFitted);
    }
}
