package io.rapidfire.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of measured values (nearest rank on the sorted sample). */
final class Stats {
    private Stats() {
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double[] sorted(List<? extends Number> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i).doubleValue();
        }
        Arrays.sort(a);
        return a;
    }

    static double median(double[] values) {
        double[] a = values.clone();
        Arrays.sort(a);
        return pct(a, 50);
    }
}
