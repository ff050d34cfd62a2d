package io.katana.benchmarks.load;

import java.util.Arrays;

/**
 * The median of repeated runs and how far they spread: (max − min) / median.
 *
 * @param median the median of the runs (the mean of the middle two for an even count)
 * @param spread (max − min) / median, 0 for one run or a zero median
 * @param runs how many runs there were
 */
record Spread(double median, double spread, int runs) {

    /** Above this a figure is flagged: its runs disagree too much to trust one number. */
    static final double FLAG_ABOVE = 0.10;

    static Spread of(double[] values) {
        if (values.length == 0) {
            return new Spread(Double.NaN, 0, 0);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double spread = median == 0 ? 0 : (sorted[n - 1] - sorted[0]) / median;
        return new Spread(median, spread, n);
    }

    boolean present() {
        return runs > 0 && !Double.isNaN(median);
    }

    boolean flagged() {
        return spread > FLAG_ABOVE;
    }
}
