package dev.leader.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The {@link Scale} results as one Markdown table, a row per backend, size and spreading. */
final class ScaleTable {

    static final String HEADER = """
            | backend | elections per JVM | spreading | first open → one leader each | threads added / JVM | live heap added / JVM | sockets added / JVM | server requests/s at rest | leaders per JVM (max share) | load before → after | note |
            |---|---|---|---|---|---|---|---|---|---|---|
            """;

    private ScaleTable() {
    }

    static String markdown(List<ScaleRun.Result> results) {
        StringBuilder table = new StringBuilder(HEADER);
        for (ScaleRun.Result result : results) {
            table.append(row(result)).append('\n');
        }
        return table.toString();
    }

    static String row(ScaleRun.Result r) {
        List<Integer> shares = r.leaders().shares();
        int maxShare = r.leaders().maxShare();
        String share = shares.stream().map(String::valueOf).collect(Collectors.joining(" / ")) + String.format(Locale.ROOT,
                " (%.0f %%)", r.elections() == 0 ? 0.0 : 100.0 * maxShare / r.elections());
        if (r.spread()) {
            share += r.spreadNanos() >= 0 ? ", fair share in " + millis(r.spreadNanos())
                    : ", above the fair share of " + ScaleRun.fairShare(r.elections()) + " after the spread window";
        }
        return "| " + r.type() + " | " + String.format(Locale.ROOT, "%,d", r.elections()) + " | " + (r.spread() ? "on" : "off")
                + " | " + millis(r.settledNanos()) + " | " + range(r.added().stream().map(f -> (long) f.threads()).toList(), r.threadsNow())
                + " | " + mebibytes(r.added().stream().map(Footprint::heapBytes).toList())
                + " | " + range(r.added().stream().map(f -> (long) f.sockets()).toList(), List.of())
                + " | " + (Double.isNaN(r.requestsPerSecond()) ? "—" : String.format(Locale.ROOT, "%.1f", r.requestsPerSecond()))
                + " | " + share + " | " + r.loadBefore() + " → " + r.loadAfter() + " | " + r.note().replace('|', '/') + " |";
    }

    static String millis(long nanos) {
        return nanos < 0 ? "not settled" : String.format(Locale.ROOT, "%,.0f ms", nanos / 1e6);
    }

    /** min–max over the JVMs; with spreading (nothing measured), the live threads at the end instead. */
    private static String range(List<Long> values, List<Integer> threadsNow) {
        if (values.isEmpty()) {
            return threadsNow.isEmpty() ? "—" : "— (" + threadsNow.stream().mapToInt(Integer::intValue).max().orElse(0) + " live)";
        }
        long min = values.stream().mapToLong(Long::longValue).min().orElse(0);
        long max = values.stream().mapToLong(Long::longValue).max().orElse(0);
        return min == max ? String.format(Locale.ROOT, "%,d", max) : String.format(Locale.ROOT, "%,d–%,d", min, max);
    }

    private static String mebibytes(List<Long> bytes) {
        if (bytes.isEmpty()) {
            return "—";
        }
        double min = bytes.stream().mapToLong(Long::longValue).min().orElse(0) / 1048576.0;
        double max = bytes.stream().mapToLong(Long::longValue).max().orElse(0) / 1048576.0;
        return String.format(Locale.ROOT, "%.1f–%.1f MiB", min, max);
    }
}
