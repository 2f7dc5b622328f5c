package dev.leader.fault;

import dev.leader.fault.Journal.Belief;
import dev.leader.fault.Journal.Granted;
import dev.leader.fault.Journal.Run;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks one run from the apps' reports alone, for each election and in it for each kind of
 * leader-only work on its own (the scheduled job, the asynchronous job, the lifecycle's units):
 * <ul>
 * <li>no two committed runs of one kind and different terms overlap;
 * <li>fencing tokens never decrease in execution order (committed runs of a kind by start), each
 * run's token was granted to its candidate, grants carry strictly growing tokens, and each token
 * is granted once (a new token means a new term, and a new term a new token);
 * <li>every sign that a term was believed (probe samples, committed runs of any kind) comes
 * before the next term's first sign: no instance still believed when its successor was granted;
 * <li>no planned tick of a fixed-rate kind was lost while a term lasted.
 * </ul>
 * It also counts, without calling them violations, the committed runs whose report reached the
 * shared file after one of their kind with a larger token: a process paused between its last
 * check and its write. A fenced store refuses such writes; no election can prevent the pause.
 */
final class Checker {

    /** What one kind of work came to. */
    record Tally(int executions, int abandoned, int overlaps, int tokenRegressions, int fencedWrites) {

        static final Tally NONE = new Tally(0, 0, 0, 0, 0);

        /** Of one kind of work in two elections. */
        Tally plus(Tally other) {
            return new Tally(executions + other.executions, abandoned + other.abandoned, overlaps + other.overlaps,
                    tokenRegressions + other.tokenRegressions, fencedWrites + other.fencedWrites);
        }
    }

    /**
     * What one run came to; {@code violations} empty when every property held.
     * {@code grantRegressions}: grants without a larger token, tokens granted twice.
     */
    record Verdict(Map<WorkKind, Tally> work, int grantRegressions, int doubleBeliefs, int lostTicks,
            Duration longestLeaderless, List<String> violations) {

        Tally of(WorkKind kind) {
            return work.get(kind);
        }

        int executions() {
            return work.values().stream().mapToInt(Tally::executions).sum();
        }

        int overlaps() {
            return work.values().stream().mapToInt(Tally::overlaps).sum();
        }

        /** Of every kind, and of the grants. */
        int tokenRegressions() {
            return grantRegressions + work.values().stream().mapToInt(Tally::tokenRegressions).sum();
        }

        int fencedWrites() {
            return work.values().stream().mapToInt(Tally::fencedWrites).sum();
        }
    }

    /** While a fault is on, a paused or cut-off leader cannot run its ticks: no tick is planned then. */
    record Window(long from, long to) {

        boolean overlaps(long start, long end) {
            return from < end && start < to;
        }
    }

    private final Duration jobRate;

    private final List<Window> faultWindows;

    Checker(Duration jobRate, List<Window> faultWindows) {
        this.jobRate = jobRate;
        this.faultWindows = List.copyOf(faultWindows);
    }

    /**
     * Each election on its own (tokens, terms and beliefs belong to one election; an app may lead
     * one and follow in another), the tallies summed over them.
     */
    Verdict check(Journal journal) {
        List<String> violations = new ArrayList<>();
        Map<WorkKind, Tally> work = new EnumMap<>(WorkKind.class);
        for (WorkKind kind : WorkKind.values()) {
            work.put(kind, Tally.NONE);
        }
        int grantRegressions = 0;
        int lost = 0;
        int doubleBeliefs = 0;
        Duration longestLeaderless = Duration.ZERO;
        Set<String> elections = elections(journal);
        for (String election : elections) {
            List<String> found = new ArrayList<>();
            List<Granted> grants = journal.grants().stream().filter(g -> g.election().equals(election)).toList();
            List<Belief> beliefs = journal.beliefs().stream().filter(b -> b.election().equals(election)).toList();
            List<Run> runs = journal.runs().stream().filter(r -> r.election().equals(election)).toList();
            Map<Long, String> owners = new HashMap<>();
            grantRegressions += grantRegressions(grants, owners, found);
            for (WorkKind kind : WorkKind.values()) {
                List<Run> ofKind = runs.stream().filter(r -> r.kind() == kind).toList();
                work.merge(kind, tally(ofKind, owners, found), Tally::plus);
                if (kind.ticks()) {
                    lost += lostTicks(ofKind, found);
                }
            }
            List<Run> committed = runs.stream().filter(Run::committed).toList();
            doubleBeliefs += doubleBeliefs(beliefSpans(grants, beliefs, committed), found);
            Duration leaderless = longestLeaderless(grants, beliefs);
            longestLeaderless = leaderless.compareTo(longestLeaderless) > 0 ? leaderless : longestLeaderless;
            found.forEach(v -> violations.add(elections.size() > 1 ? "election " + election + ": " + v : v));
        }
        return new Verdict(work, grantRegressions, doubleBeliefs, lost, longestLeaderless, violations);
    }

    private static Set<String> elections(Journal journal) {
        Set<String> elections = new TreeSet<>();
        journal.grants().forEach(g -> elections.add(g.election()));
        journal.beliefs().forEach(b -> elections.add(b.election()));
        journal.runs().forEach(r -> elections.add(r.election()));
        return elections;
    }

    /** One kind's runs, in file order. */
    private static Tally tally(List<Run> runs, Map<Long, String> owners, List<String> violations) {
        List<Run> committed = runs.stream().filter(Run::committed).toList();
        List<Run> byStart = committed.stream().sorted(Comparator.comparingLong(Run::start)).toList();
        int overlaps = overlaps(byStart, violations);
        List<String> late = afterLargerToken(byStart);
        late.forEach(v -> violations.add("token regression: " + v));
        int regressions = late.size() + tokensOfTheirCandidates(runs, owners, violations);
        // In file order: the writes a fenced store refuses.
        int fenced = afterLargerToken(committed).size();
        return new Tally(committed.size(), runs.size() - committed.size(), overlaps, regressions, fenced);
    }

    /**
     * Runs of different terms that overlap. Runs of one term may: a leader may run several calls
     * of its asynchronous job at once (a fixed-rate schedule catching up after a pause does).
     */
    private static int overlaps(List<Run> byStart, List<String> violations) {
        int overlaps = 0;
        // Per term, its run that ended last so far.
        Map<Long, Run> latestOfTerm = new HashMap<>();
        for (Run run : byStart) {
            for (Run latest : latestOfTerm.values()) {
                if (latest.token() != run.token() && run.start() <= latest.end()) {
                    overlaps++;
                    violations.add("overlap: " + run + " started before " + latest + " ended");
                    break;
                }
            }
            latestOfTerm.merge(run.token(), run, (a, b) -> a.end() >= b.end() ? a : b);
        }
        return overlaps;
    }

    /** Grants in time order carry growing tokens, and each token is granted once; fills {@code owners}. */
    private static int grantRegressions(List<Granted> grants, Map<Long, String> owners, List<String> violations) {
        int regressions = 0;
        List<Granted> byTime = grants.stream().sorted(Comparator.comparingLong(Granted::at)).toList();
        for (int i = 1; i < byTime.size(); i++) {
            if (byTime.get(i).token() <= byTime.get(i - 1).token()) {
                regressions++;
                violations.add("grant without a larger token: " + byTime.get(i) + " after " + byTime.get(i - 1));
            }
        }
        for (Granted grant : grants) {
            String previous = owners.putIfAbsent(grant.token(), grant.candidate());
            if (previous != null) {
                regressions++;
                violations.add("token " + grant.token() + " granted twice: to " + previous + " and " + grant);
            }
        }
        return regressions;
    }

    /** Each run that comes, in {@code inOrder}, after one with a larger token: "run after a run with token N". */
    private static List<String> afterLargerToken(List<Run> inOrder) {
        List<String> late = new ArrayList<>();
        long highest = Long.MIN_VALUE;
        for (Run run : inOrder) {
            if (run.token() < highest) {
                late.add(run + " after a run with token " + highest);
            }
            highest = Math.max(highest, run.token());
        }
        return late;
    }

    /** Every run of a token comes from the one candidate granted that token. */
    private static int tokensOfTheirCandidates(List<Run> runs, Map<Long, String> owners, List<String> violations) {
        int foreign = 0;
        for (Run run : runs) {
            if (!run.candidate().equals(owners.get(run.token()))) {
                foreign++;
                violations.add("run under a token not granted to its candidate: " + run);
            }
        }
        return foreign;
    }

    /** Per token: [first sign of belief, last sign of belief] on the shared monotonic clock. */
    private static Map<Long, long[]> beliefSpans(List<Granted> grants, List<Belief> beliefs, List<Run> committed) {
        Map<Long, long[]> spans = new TreeMap<>();
        for (Granted grant : grants) {
            widen(spans, grant.token(), grant.at(), false);
        }
        for (Belief belief : beliefs) {
            widen(spans, belief.token(), belief.at(), true);
        }
        for (Run run : committed) {
            widen(spans, run.token(), run.start(), true);
            widen(spans, run.token(), run.end(), true);
        }
        return spans;
    }

    private static void widen(Map<Long, long[]> spans, long token, long at, boolean evidenceOfBelief) {
        long[] span = spans.computeIfAbsent(token, t -> new long[] { at, evidenceOfBelief ? at : Long.MIN_VALUE });
        span[0] = Math.min(span[0], at);
        if (evidenceOfBelief) {
            span[1] = Math.max(span[1], at);
        }
    }

    /** In token order, each term's first sign comes after every earlier term's last sign. */
    private static int doubleBeliefs(Map<Long, long[]> spans, List<String> violations) {
        int doubles = 0;
        long lastSign = Long.MIN_VALUE;
        long lastToken = -1;
        for (Map.Entry<Long, long[]> term : spans.entrySet()) {
            long first = term.getValue()[0];
            if (first <= lastSign) {
                doubles++;
                violations.add(String.format("term %d began %.1f ms before term %d (or an earlier one) stopped believing",
                        term.getKey(), (lastSign - first) / 1e6, lastToken));
            }
            if (term.getValue()[1] > lastSign) {
                lastSign = term.getValue()[1];
                lastToken = term.getKey();
            }
        }
        return doubles;
    }

    /**
     * Within a term, fixed-rate work of one kind starts once per tick (late starts catch up):
     * between two fault windows, the runs from a term's first to its last start must number one per tick.
     */
    private int lostTicks(List<Run> runs, List<String> violations) {
        Map<Long, List<Run>> byToken = new TreeMap<>();
        runs.forEach(run -> byToken.computeIfAbsent(run.token(), t -> new ArrayList<>()).add(run));
        int lost = 0;
        for (Map.Entry<Long, List<Run>> term : byToken.entrySet()) {
            List<Run> termRuns = term.getValue().stream().sorted(Comparator.comparingLong(Run::start)).toList();
            int segmentStart = 0;
            for (int i = 1; i <= termRuns.size(); i++) {
                if (i == termRuns.size() || inFault(termRuns.get(i - 1).start(), termRuns.get(i).start())) {
                    lost += lostIn(term.getKey(), termRuns.subList(segmentStart, i), violations);
                    segmentStart = i;
                }
            }
        }
        return lost;
    }

    private boolean inFault(long from, long to) {
        return faultWindows.stream().anyMatch(w -> w.overlaps(from, to));
    }

    private int lostIn(long token, List<Run> segment, List<String> violations) {
        long first = segment.get(0).start();
        long last = segment.get(segment.size() - 1).start();
        long expected = Math.round((double) (last - first) / jobRate.toNanos()) + 1;
        if (segment.size() >= expected) {
            return 0;
        }
        violations.add(String.format("term %d ran %s %d times in %d ticks from %d", token, segment.get(0).kind().label(),
                segment.size(), expected, first));
        return (int) (expected - segment.size());
    }

    /** The longest time between two signs of any leader of one election (grants and beliefs), over the whole run. */
    private static Duration longestLeaderless(List<Granted> grants, List<Belief> beliefs) {
        long[] signs = java.util.stream.Stream.concat(grants.stream().map(Granted::at), beliefs.stream().map(Belief::at))
                .mapToLong(Long::longValue).sorted().toArray();
        long longest = 0;
        for (int i = 1; i < signs.length; i++) {
            longest = Math.max(longest, signs[i] - signs[i - 1]);
        }
        return Duration.ofNanos(longest);
    }
}
