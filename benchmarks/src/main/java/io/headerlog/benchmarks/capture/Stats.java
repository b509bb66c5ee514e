package io.headerlog.benchmarks.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Order statistics of a few runs. */
final class Stats {
    private Stats() {}

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * A percentile-bootstrap interval for the median of {@code values}: {lower, upper} at
     * {@code confidence} (e.g. 0.9), from {@code resamples} resamples drawn with a fixed {@code seed} so a
     * report prints the same interval for the same runs. {NaN, NaN} without values.
     */
    static double[] medianInterval(List<Double> values, double confidence, int resamples, long seed) {
        int n = values.size();
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Random random = new Random(seed);
        double[] medians = new double[resamples];
        List<Double> sample = new ArrayList<>(n);
        for (int i = 0; i < resamples; i++) {
            sample.clear();
            for (int j = 0; j < n; j++) {
                sample.add(values.get(random.nextInt(n)));
            }
            medians[i] = median(sample);
        }
        Arrays.sort(medians);
        double tail = (1 - confidence) / 2;
        return new double[] {medians[(int) Math.floor(tail * (resamples - 1))],
                medians[(int) Math.ceil((1 - tail) * (resamples - 1))]};
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** a / b, NaN when b is 0 or either is NaN. */
    static double ratio(double a, double b) {
        return b == 0 || Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a / b;
    }
}
