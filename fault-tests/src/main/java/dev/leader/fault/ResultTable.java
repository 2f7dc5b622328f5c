package dev.leader.fault;

import java.util.List;
import java.util.stream.Collectors;

/** The per-backend table both modes print, as Markdown. */
final class ResultTable {

    private ResultTable() {
    }

    static String render(List<FaultRun.Result> results) {
        StringBuilder table = new StringBuilder();
        table.append("| backend | ran | faults | by kind | executions (abandoned) | overlaps | token regressions "
                + "| stale writes fenced | double beliefs | lost ticks | longest leaderless | heal misses | seed |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (FaultRun.Result r : results) {
            String kinds = r.faults().entrySet().stream().map(e -> e.getKey().label() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
            table.append(String.format("| %s%s | %d min %02d s | %d | %s | %d (%d) | %d | %d | %d | %d | %d | %.1f s | %d | %d |%n",
                    r.backend(), r.namespaces() ? "" : " (loopback)", r.ran().toMinutes(), r.ran().toSecondsPart(),
                    r.totalFaults(), kinds, r.verdict().executions(), r.verdict().abandoned(), r.verdict().overlaps(),
                    r.verdict().tokenRegressions(), r.verdict().fencedWrites(), r.verdict().doubleBeliefs(), r.verdict().lostTicks(),
                    r.verdict().longestLeaderless().toMillis() / 1000.0, r.healViolations().size(), r.seed()));
        }
        return table.toString();
    }

    static String violations(List<FaultRun.Result> results) {
        StringBuilder text = new StringBuilder();
        for (FaultRun.Result r : results) {
            r.verdict().violations().forEach(v -> text.append(r.backend()).append(": ").append(v).append('\n'));
            r.healViolations().forEach(v -> text.append(r.backend()).append(": ").append(v).append('\n'));
        }
        return text.toString();
    }
}
