package dev.leader.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;

/**
 * One case of the {@link Scale} benchmark: three application JVMs each open the same N
 * elections on one server at the same moment; then how long until every election has exactly
 * one leader among them, what the server serves at rest, and what each JVM holds then (at the
 * end of the rest period: what it keeps, not what its campaigns left behind a moment ago).
 */
final class ScaleRun {

    static final int APPLICATIONS = 3;

    private static final Duration POLL = Duration.ofMillis(100);

    private static final Duration ANSWER = Duration.ofSeconds(60);

    /** Which elections each application leads at one moment, as each said it. */
    record Leaders(List<BitSet> byApplication, long stamp) {

        boolean oneEach(int elections) {
            BitSet union = new BitSet();
            int sum = 0;
            for (BitSet leading : byApplication) {
                union.or(leading);
                sum += leading.cardinality();
            }
            return union.cardinality() == elections && sum == elections;
        }

        int maxShare() {
            return byApplication.stream().mapToInt(BitSet::cardinality).max().orElse(0);
        }

        List<Integer> shares() {
            return byApplication.stream().map(BitSet::cardinality).toList();
        }
    }

    /**
     * @param settledNanos first open → every election led by exactly one application; -1 when not within the bound
     * @param spreadNanos settled → no application above its fair share (spreading only); -1 when not within the bound
     * @param leaders who led what at the end of the case
     * @param added per application, what opening the elections added (empty with spreading: the Spring context is in it)
     * @param threadsNow per application, its live threads at the end
     * @param requestsPerSecond what the server served per second at rest, after settling; NaN without a server counter
     * @param note why the case stopped early, empty when it did not
     */
    record Result(String type, int elections, boolean spread, long settledNanos, long spreadNanos, Leaders leaders,
            List<Footprint> added, List<Integer> threadsNow, double requestsPerSecond, String note, String loadBefore,
            String loadAfter) {

        boolean settled() {
            return settledNanos >= 0;
        }
    }

    private final String type;

    private final BenchBackend.BenchServer server;

    private final JvmClasspath classpath;

    private final Scale.Settings settings;

    private final Path logs;

    ScaleRun(String type, BenchBackend.BenchServer server, JvmClasspath classpath, Scale.Settings settings, Path logs) {
        this.type = type;
        this.server = server;
        this.classpath = classpath;
        this.settings = settings;
        this.logs = logs;
    }

    /** {@code name} keeps the elections of one case apart from those of earlier cases on the same server. */
    Result run(int elections, boolean spread, String name) throws InterruptedException {
        String loadBefore = Machine.loadAverage();
        List<ScaleProcess> applications = new ArrayList<>();
        long settled = -1;
        long spreadDone = -1;
        Leaders leaders = new Leaders(List.of(), 0);
        List<Footprint> added = new ArrayList<>();
        List<Integer> threadsNow = new ArrayList<>();
        double rate = Double.NaN;
        String note = "";
        try {
            start(applications, spread, name);
            Opening opening = open(applications, elections, name);
            long first = opening.first();
            int opened = opening.opened();
            leaders = opened < elections ? leaders(applications) : awaitOneEach(applications, elections, opening.deadline());
            settled = leaders.oneEach(elections) ? leaders.stamp() - first : -1;
            if (opened < elections) {
                note = "stopped opening at " + opened + " of " + elections + " elections: above " + ScaleProcess.MAX_THREADS
                        + " live threads in a JVM (the cap that keeps three JVMs below the host's pid limit)";
            }
            else if (settled < 0) {
                note = "not settled within " + settings.settleBound().toSeconds() + " s: " + ledOnce(leaders, elections) + " of "
                        + elections + " led by exactly one";
            }
            if (spread && settled >= 0) {
                leaders = awaitFairShares(applications, elections, leaders);
                spreadDone = leaders.maxShare() <= fairShare(elections) ? leaders.stamp() - first - settled : -1;
                if (!leaders.oneEach(elections)) {
                    note = "when spreading ended: " + ledOnce(leaders, elections) + " of " + elections + " led by exactly one";
                }
            }
            if (!spread && settled >= 0) {
                rate = restRate();
                leaders = leaders(applications);
                if (!leaders.oneEach(elections)) {
                    note = "leadership moved at rest: " + ledOnce(leaders, elections) + " of " + elections + " led by exactly one after it";
                }
            }
            // At rest, not in the moment of settling: what a JVM keeps, not what its campaigns left behind.
            measure(applications, spread ? new ArrayList<>() : added, threadsNow);
        }
        catch (ScaleProcess.Gone ex) {
            note = ex.getMessage();
        }
        finally {
            applications.forEach(ScaleProcess::close);
        }
        return new Result(type, elections, spread, settled, spreadDone, leaders, added, threadsNow, rate, note, loadBefore,
                Machine.loadAverage());
    }

    /** When the first application opened its first election, the bound to settle by, and the fewest elections one opened. */
    private record Opening(long first, long deadline, int opened) {
    }

    private void start(List<ScaleProcess> applications, boolean spread, String name) throws InterruptedException {
        for (int i = 0; i < APPLICATIONS; i++) {
            applications.add(ScaleProcess.start(classpath, type, server.address(), "app" + i, settings.lease(),
                    spread ? APPLICATIONS : 0, logs.resolve(name + "-app" + i + ".log")));
        }
        for (ScaleProcess application : applications) {
            application.ask(null, "BASE", ANSWER);
        }
    }

    /** Has every application open the elections at the same moment, and waits until each has opened them. */
    private Opening open(List<ScaleProcess> applications, int elections, String name) throws InterruptedException {
        applications.forEach(application -> application.send("OPEN " + elections + " " + name + "-"));
        long first = Long.MAX_VALUE;
        for (ScaleProcess application : applications) {
            first = Math.min(first, Long.parseLong(application.ask(null, "OPENING", ANSWER)[0]));
        }
        long deadline = first + settings.settleBound().toNanos();
        int opened = elections;
        for (ScaleProcess application : applications) {
            String[] reply = application.ask(null, "OPENED", Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)).plus(ANSWER));
            opened = Math.min(opened, Integer.parseInt(reply[1]));
        }
        return new Opening(first, deadline, opened);
    }

    /** Each application's footprint added since it started (into {@code added}) and its live threads now. */
    private static void measure(List<ScaleProcess> applications, List<Footprint> added, List<Integer> threadsNow)
            throws InterruptedException {
        for (ScaleProcess application : applications) {
            String[] cost = application.ask("MEASURE", "COST", ANSWER);
            added.add(new Footprint(Integer.parseInt(cost[0]), Long.parseLong(cost[1]), Integer.parseInt(cost[2])));
            threadsNow.add(Integer.parseInt(cost[3]));
        }
    }

    private Leaders awaitOneEach(List<ScaleProcess> applications, int elections, long deadline) throws InterruptedException {
        Leaders leaders = leaders(applications);
        while (!leaders.oneEach(elections) && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            leaders = leaders(applications);
        }
        return leaders;
    }

    /**
     * Waits until no application leads more than its fair share and every election has one leader:
     * a look taken during one of spreading's hand-offs sees that election led by nobody or by two
     * applications (they are asked one after the other), which is not where spreading ends.
     */
    private Leaders awaitFairShares(List<ScaleProcess> applications, int elections, Leaders settled) throws InterruptedException {
        long deadline = System.nanoTime() + settings.spreadBound().toNanos();
        Leaders leaders = settled;
        while ((leaders.maxShare() > fairShare(elections) || !leaders.oneEach(elections)) && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            leaders = leaders(applications);
        }
        return leaders;
    }

    /**
     * The share {@code LeadershipSpreading.fairShare} allows one of three instances: the
     * registry's default election counts among its elections.
     */
    static int fairShare(int elections) {
        int share = (elections + 1 + APPLICATIONS - 1) / APPLICATIONS;
        return share + Math.max(1, share / 10);
    }

    private static Leaders leaders(List<ScaleProcess> applications) throws InterruptedException {
        List<BitSet> leading = new ArrayList<>();
        long stamp = 0;
        for (ScaleProcess application : applications) {
            String[] state = application.ask("STATE", "STATE", ANSWER);
            stamp = Math.max(stamp, Long.parseLong(state[0]));
            leading.add(state[1].equals("-") ? new BitSet() : BitSet.valueOf(HexFormat.of().parseHex(state[1])));
        }
        return new Leaders(List.copyOf(leading), stamp);
    }

    private static int ledOnce(Leaders leaders, int elections) {
        int once = 0;
        for (int i = 0; i < elections; i++) {
            int holders = 0;
            for (BitSet leading : leaders.byApplication()) {
                holders += leading.get(i) ? 1 : 0;
            }
            once += holders == 1 ? 1 : 0;
        }
        return once;
    }

    /** Waits the rest period; what the server served per second in it, NaN without a server counter. */
    private double restRate() throws InterruptedException {
        long before = server.requestsServed();
        long start = System.nanoTime();
        Thread.sleep(settings.rest().toMillis());
        long after = server.requestsServed();
        return before < 0 ? Double.NaN : (after - before) * 1e9 / (System.nanoTime() - start);
    }
}
