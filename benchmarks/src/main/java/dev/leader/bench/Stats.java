package dev.leader.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Percentiles of a sample, nearest-rank. */
record Stats(int count, double p50, double p99, double min, double max) {

    static Stats of(List<? extends Number> sample) {
        if (sample.isEmpty()) {
            throw new IllegalArgumentException("empty sample");
        }
        List<Double> sorted = new ArrayList<>();
        for (Number n : sample) {
            sorted.add(n.doubleValue());
        }
        Collections.sort(sorted);
        return new Stats(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.99), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static double rank(List<Double> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** Nanoseconds to milliseconds, with two decimals. */
    static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1_000_000.0);
    }
}
