package dev.leader.fault;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The per-backend table both modes print, as Markdown: for each kind of leader-only work its
 * runs (abandoned), overlaps and token regressions, then what holds across kinds.
 */
final class ResultTable {

    private ResultTable() {
    }

    static String render(List<FaultRun.Result> results) {
        StringBuilder table = new StringBuilder("| backend | ran | faults | by kind |");
        StringBuilder rule = new StringBuilder("|---|---|---|---|");
        for (WorkKind kind : WorkKind.values()) {
            table.append(String.format(" %1$s runs (abandoned) | %1$s overlaps | %1$s token regressions |", kind.label()));
            rule.append("---|---|---|");
        }
        table.append(" grant regressions | stale writes fenced | double beliefs | lost ticks | longest leaderless | heal misses | seed |\n");
        table.append(rule).append("---|---|---|---|---|---|---|\n");
        for (FaultRun.Result r : results) {
            String kinds = r.faults().entrySet().stream().map(e -> e.getKey().label() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
            Checker.Verdict verdict = r.verdict();
            table.append(String.format("| %s%s | %d min %02d s | %d | %s |", r.backend(), r.namespaces() ? "" : " (loopback)",
                    r.ran().toMinutes(), r.ran().toSecondsPart(), r.totalFaults(), kinds));
            for (WorkKind kind : WorkKind.values()) {
                Checker.Tally tally = verdict.of(kind);
                table.append(String.format(" %d (%d) | %d | %d |", tally.executions(), tally.abandoned(), tally.overlaps(),
                        tally.tokenRegressions()));
            }
            table.append(String.format(" %d | %d | %d | %d | %.1f s | %d | %d |%n", verdict.grantRegressions(),
                    verdict.fencedWrites(), verdict.doubleBeliefs(), verdict.lostTicks(),
                    verdict.longestLeaderless().toMillis() / 1000.0, r.healViolations().size(), r.seed()));
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
