package dev.leader.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.leader.autoconfigure.BackendType;

/** RESULTS.md: one table per measurement, with the machine and settings it ran on. */
final class Report {

    /** One JMH score: {@code benchmark} is guarded or plain, {@code role} leader or follower. */
    record GuardScore(String benchmark, String role, double nanosPerOp, double error, double bytesPerOp) {
    }

    /** {@code warmup} is null when no warm-up round ran. */
    private record HandoffRow(String backend, String server, Duration lease, @Nullable Stats warmup, Stats graceful, Stats crash) {
    }

    /**
     * Issue 21's hand-off target of a backend: its p50 at most {@code maxNanos} (NaN: no such
     * bound) and at most {@code maxShareOfAnchor} of the p50 of {@code anchor} in the same run.
     */
    private record HandoffTarget(double maxNanos, @Nullable String anchor, double maxShareOfAnchor) {

        static HandoffTarget atMostMillis(double millis) {
            return new HandoffTarget(millis * 1e6, null, Double.NaN);
        }
    }

    private static final Map<BackendType, HandoffTarget> HANDOFF_TARGETS = Map.of(
            BackendType.ZOOKEEPER, new HandoffTarget(Double.NaN, CuratorAnchor.TYPE, 0.5),
            BackendType.REDIS, new HandoffTarget(2e6, SpringIntegrationRedisAnchor.TYPE, 1.0 / 20),
            BackendType.ETCD, HandoffTarget.atMostMillis(4),
            BackendType.LOCAL, HandoffTarget.atMostMillis(2),
            BackendType.LAN, HandoffTarget.atMostMillis(2));

    /** Issue 21: every backend's hand-off p99 at most this multiple of its p50. */
    private static final double MAX_P99_OVER_P50 = 3;

    /** The target at rest (zero periodic follower requests) names these backends. */
    private static final Set<BackendType> TARGETED_AT_REST = EnumSet.of(BackendType.REDIS, BackendType.ETCD);

    /** Anchor library -> our backend it is compared with. */
    private static final Map<String, String> ANCHORS = new LinkedHashMap<>();

    static {
        BenchBackends.all().values().stream().filter(BenchBackend::anchor)
                .forEach(anchor -> ANCHORS.put(anchor.type(), anchor.backend().id()));
    }

    /** What an anchor is, for the tables that compare. */
    private static final Map<String, String> ANCHOR_NAMES = Map.of(CuratorAnchor.TYPE, "Curator `LeaderLatch`",
            CuratorSelectorAnchor.TYPE, "Spring Integration's ZooKeeper `LeaderInitiator` (as Curator `LeaderSelector`)",
            SpringIntegrationRedisAnchor.TYPE, "Spring Integration `LockRegistryLeaderInitiator` + `RedisLockRegistry`",
            SpringIntegrationJdbcAnchor.TYPE, "Spring Integration `LockRegistryLeaderInitiator` + `JdbcLockRegistry`",
            ShedLockJdbcAnchor.TYPE, "ShedLock `JdbcTemplateLockProvider` (a lock for scheduled jobs, not an election)");

    private final Benchmarks.Settings settings;

    private final Machine machine;

    private final Instant started;

    private final String loadAtStart = Machine.loadAverage();

    private String loadAtEnd = "";

    private final List<GuardScore> guard = new ArrayList<>();

    private final List<HandoffRow> handoffs = new ArrayList<>();

    private StartupCost.@Nullable Result startup;

    private final Map<String, Handoff.Rest> rests = new LinkedHashMap<>();

    private final Map<String, Herd.Result> herds = new LinkedHashMap<>();

    Report(Benchmarks.Settings settings, Machine machine, Instant started) {
        this.settings = settings;
        this.machine = machine;
        this.started = started;
    }

    void guard(List<GuardScore> scores) {
        guard.addAll(scores);
    }

    void handoff(BenchBackend backend, String server, Handoff.Result result) {
        handoffs.add(new HandoffRow(backend.type(), server, backend.lease(settings.lease()),
                result.warmupNanos().isEmpty() ? null : Stats.of(result.warmupNanos()), Stats.of(result.gracefulNanos()),
                Stats.of(result.crashNanos())));
    }

    void rest(String backend, Handoff.Rest rest) {
        rests.put(backend, rest);
    }

    void herd(String backend, Herd.Result result) {
        herds.put(backend, result);
    }

    Map<String, Herd.Result> herds() {
        return Map.copyOf(herds);
    }

    void startup(StartupCost.Result result) {
        this.startup = result;
    }

    void finish(String load) {
        this.loadAtEnd = load;
    }

    List<GuardScore> guardScores() {
        return List.copyOf(guard);
    }

    int handoffRows() {
        return handoffs.size();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("Written by `benchmarks/run.sh` (`dev.leader.bench.Benchmarks`) on ").append(started).append(".\n\n");
        md.append("| Machine | |\n|---|---|\n");
        md.append("| CPU | ").append(machine.cpu()).append(", ").append(machine.cores()).append(" cores visible |\n");
        md.append("| Memory | ").append(machine.memory()).append(" |\n");
        md.append("| Kernel | Linux ").append(machine.kernel()).append(" |\n");
        md.append("| JVM | ").append(machine.jvm()).append(" |\n");
        md.append("| Spring Boot | ").append(machine.springBoot()).append(" |\n");
        md.append("| JMH | ").append(machine.jmh()).append(" |\n");
        md.append("| Load average (1/5/15 min) | at start ").append(loadAtStart).append("; at end ").append(loadAtEnd).append(" |\n");
        md.append("| Settings | ").append(settings.warmupRounds()).append(" warm-up and ").append(settings.rounds()).append(" hand-off rounds and ").append(settings.crashRounds())
                .append(" crash rounds per backend, ").append(settings.candidates())
                .append(" candidate JVMs (-Xmx128m -XX:+UseSerialGC), requested lease ").append(settings.lease().toMillis())
                .append(" ms, ").append(Handoff.PACE.toMillis()).append(" ms between rounds; at rest ").append(settings.restFollowers())
                .append(" followers, ").append(seconds(settings.rest())).append(" s per phase; herd ").append(settings.herdCandidates())
                .append(" candidates, ").append(settings.herdPerJvm()).append(" per JVM |\n\n");
        handoffSections(md);
        anchorSection(md);
        guardSection(md);
        restSection(md);
        herdSection(md);
        startupSection(md);
        return md.toString();
    }

    private void restSection(StringBuilder md) {
        md.append("## 5. Load at rest (server requests per second; 1 leader, then 1 leader + ").append(settings.restFollowers())
                .append(" idle followers)\n\n");
        md.append("Counted by the server: Redis `INFO commandstats` (sum of calls), ZooKeeper `mntr` (`zk_packets_received`, pings included), ")
                .append("etcd `/metrics` (`grpc_server_started_total`), PostgreSQL `pg_stat_statements` (calls in the backend's own ")
                .append("database, `BEGIN`/`COMMIT` included); for the LAN backend, which has no server, the datagrams a silent ")
                .append("listener of the harness hears on the group. Over ").append(seconds(settings.rest())).append(" s per phase after ")
                .append(seconds(settings.rest().compareTo(Handoff.SETTLE) < 0 ? settings.rest() : Handoff.SETTLE)).append(" s to settle; each anchor on the line ")
                .append("after the backend of ours it is compared with. ")
                .append("The local backend has no server: its followers block in `fcntl(F_SETLKW)` and send nothing.\n\n");
        md.append("| Backend | leader alone (req/s) | leader + followers (req/s) | per follower (req/s) | per follower, ours / anchor "
                + "| target: zero periodic follower requests (Redis, etcd) |\n|---|---|---|---|---|---|\n");
        for (String backend : inTableOrder(rests.keySet())) {
            Handoff.Rest rest = rests.get(backend);
            String ours = ANCHORS.get(backend);
            Handoff.Rest compared = ours == null ? null : rests.get(ours);
            boolean targeted = BackendType.fromId(backend).filter(TARGETED_AT_REST::contains).isPresent();
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.3f | %s | %s |%n", backend, rest.leaderAlonePerSecond(),
                    rest.withFollowersPerSecond(), rest.perFollowerPerSecond(),
                    compared == null ? "" : String.format(Locale.ROOT, "%.3f (%s: %.3f / %.3f)", compared.perFollowerPerSecond()
                            / rest.perFollowerPerSecond(), ours, compared.perFollowerPerSecond(), rest.perFollowerPerSecond()),
                    ours != null ? "anchor" : !targeted ? "no target" : rest.perFollowerPerSecond() < 0.05 ? "met" : "missed"));
        }
        // The local backend has no server to count requests: it has no row here even when measured.
        for (BackendType type : EnumSet.complementOf(EnumSet.of(BackendType.LOCAL))) {
            if (!rests.containsKey(type.id())) {
                md.append("| ").append(type.id()).append(" | not measured in this run | | | | |\n");
            }
        }
        md.append('\n');
    }

    /** Ours in {@link BackendType} order, each followed by its anchors; anything else last. */
    private static List<String> inTableOrder(Collection<String> measured) {
        List<String> order = new ArrayList<>();
        for (BackendType type : BackendType.values()) {
            String ours = type.id();
            if (measured.contains(ours)) {
                order.add(ours);
            }
            ANCHORS.forEach((anchor, comparedWith) -> {
                if (comparedWith.equals(ours) && measured.contains(anchor)) {
                    order.add(anchor);
                }
            });
        }
        measured.stream().filter(b -> !order.contains(b)).forEach(order::add);
        return order;
    }

    private void herdSection(StringBuilder md) {
        md.append("## 6. Herd (").append(settings.herdCandidates()).append(" ZooKeeper candidates, leader killed)\n\n");
        if (herds.isEmpty()) {
            md.append("Not measured in this run (no ZooKeeper backend selected, or `--herd 0`).\n\n");
            return;
        }
        Herd.Result any = herds.values().iterator().next();
        md.append(any.candidates()).append(" candidates of one election on one ZooKeeper server, each with a client and session of its own ")
                .append("(session timeout = lease, ").append(settings.lease().toMillis()).append(" ms). To keep memory sane they share ")
                .append(any.jvms()).append(" JVMs: the leader alone in the first (started first and awaited as leader), the others ")
                .append(any.perJvm()).append(" or fewer per JVM (").append(String.join(" ", Herd.JVM_OPTIONS)).append("). Then `kill -9` of ")
                .append("the leader's JVM: its session expires on the server, its node is deleted, the successor is granted. ")
                .append("The window runs from the kill to ").append(settings.herdQuiet().toMillis() / 2).append(" ms after the successor's `granted`. ")
                .append("Counted by the server (`mntr` before and after): reads and writes = the sums of ZooKeeper's per-namespace counts ")
                .append("`zk_cnt_<ns>_read_per_namespace` / `_write_per_namespace` (pings excluded; the expired node's deletion is one write); ")
                .append("notifications = watches triggered, the growth of `zk_sum_node_{deleted,created,changed,children}_watch_count`; ")
                .append("packets = `zk_packets_received`, pings of all sessions included, next to what the ping rate of the ")
                .append(seconds(settings.herdQuiet())).append(" s before the kill predicts. Watches held = `wchs` total just before the kill.\n\n");
        md.append("| Library | candidates (JVMs) | watches held | time to new leader (ms) | window (ms) | reads | writes | notifications "
                + "| request packets (ping rate before, /s) | packets beyond the ping rate | leaders granted in the window |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String backend : inTableOrder(herds.keySet())) {
            Herd.Result herd = herds.get(backend);
            md.append(String.format(Locale.ROOT, "| %s | %d (%d) | %d | %s | %s | %d | %d | %d | %d (%.0f) | %d | %d |%n",
                    ANCHOR_NAMES.containsKey(backend) ? backend + ": " + ANCHOR_NAMES.get(backend) : backend + " (ours)",
                    herd.candidates(), herd.jvms(), herd.watchesBefore(), Stats.ms(herd.timeToLeaderNanos()), Stats.ms(herd.windowNanos()),
                    herd.reads(), herd.writes(), herd.notifications(), herd.packets(), herd.pingsPerSecond(), herd.packetsBeyondPings(),
                    herd.grants()));
        }
        herds.forEach((backend, herd) -> {
            if (!herd.moved().isEmpty()) {
                md.append("\n").append(backend).append(": measured in set-up ").append(herd.attempts()).append("; leadership moved away from ")
                        .append("the first candidate before the kill in the earlier ones (").append(String.join("; ", herd.moved())).append(").");
            }
        });
        Herd.Result ours = herds.get(BackendType.ZOOKEEPER.id());
        for (String anchor : herds.keySet()) {
            Herd.Result theirs = herds.get(anchor);
            if (ours != null && ANCHORS.containsKey(anchor)) {
                md.append(String.format(Locale.ROOT, "%nOurs / %s: reads + writes %d / %d, notifications %d / %d, time to new leader %s / %s ms.",
                        anchor, ours.reads() + ours.writes(), theirs.reads() + theirs.writes(), ours.notifications(), theirs.notifications(),
                        Stats.ms(ours.timeToLeaderNanos()), Stats.ms(theirs.timeToLeaderNanos())));
            }
        }
        md.append("\n\n");
    }

    private void anchorSection(StringBuilder md) {
        md.append("## 3. Anchors: ours / theirs, same run, same kind of server (lower is better for us)\n\n");
        md.append("The anchors' rows are in tables 1 and 2; here the p50 ratios.\n\n");
        md.append("| Ours | Anchor | hand-off p50 ours / theirs | failover p50 ours / theirs |\n|---|---|---|---|\n");
        for (Map.Entry<String, String> pair : ANCHORS.entrySet()) {
            HandoffRow anchor = row(pair.getKey());
            HandoffRow ours = row(pair.getValue());
            md.append("| ").append(pair.getValue()).append(" | ").append(pair.getKey()).append(": ").append(ANCHOR_NAMES.get(pair.getKey()))
                    .append(" | ");
            if (anchor == null || ours == null) {
                md.append("not measured in this run").append(" | |\n");
                continue;
            }
            md.append(ratio(ours.graceful().p50(), anchor.graceful().p50())).append(" | ")
                    .append(ratio(ours.crash().p50(), anchor.crash().p50())).append(" |\n");
        }
        md.append('\n');
    }

    private List<HandoffRow> orderedHandoffs() {
        List<HandoffRow> ordered = new ArrayList<>();
        for (String backend : inTableOrder(handoffs.stream().map(HandoffRow::backend).toList())) {
            ordered.add(row(backend));
        }
        return ordered;
    }

    private @Nullable HandoffRow row(String backend) {
        return handoffs.stream().filter(h -> h.backend().equals(backend)).findFirst().orElse(null);
    }

    private static String ratio(double ours, double theirs) {
        return String.format(Locale.ROOT, "%.3f (%s ms / %s ms)", ours / theirs, Stats.ms(ours), Stats.ms(theirs));
    }

    private void guardSection(StringBuilder md) {
        md.append("## 4. `@LeaderOnly` overhead (JMH, ns/op, lower is better)\n\n");
        md.append("The same one-line method (`runs++`) four ways: `plain` on a bean without any guard; `proxied` behind a Spring AOP ")
                .append("proxy whose only interceptor proceeds (the floor of any proxy-based guard); `@LeaderOnly` in a Boot context with ")
                .append("the starter and the local backend, without an `ObservationRegistry` (follower: another candidate holds the lock); ShedLock ")
                .append("`@SchedulerLock` (PROXY_METHOD, `RedisLockProvider` over Lettuce, a local redis-server; follower: another node holds the lock). ")
                .append(settings.quickJmh() ? "Quick mode (smoke test): 1 iteration, no warm-up, no fork; not a measurement.\n\n"
                        : settings.jmhForks() + " fork(s) x 5 warm-up + 5 measured iterations of 1 s, average time mode, GC profiler.\n\n");
        md.append("| Role | plain (ns/op) | proxied (ns/op) | `@LeaderOnly` (ns/op) | overhead vs plain (ns) | of which the guard itself (ns) "
                + "| allocation (B/op) | target: the guard itself <= 10 ns (issue 21) | ShedLock `@SchedulerLock` (ns/op) | ShedLock allocation (B/op) | ours / ShedLock |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        if (guard.isEmpty()) {
            md.append("| not measured in this run (`--no-guard`) |").append(" |".repeat(10)).append("\n\n");
            return;
        }
        Set<String> roles = new TreeSet<>();
        guard.forEach(s -> roles.add(s.role()));
        for (String role : roles) {
            double plain = score("plain", role);
            double guarded = score("guarded", role);
            double locked = score("locked", role);
            double overhead = guarded - plain;
            double guardItself = guarded - score("proxied", role);
            md.append("| ").append(role).append(" | ").append(fmt(plain)).append(" | ").append(withError("proxied", role)).append(" | ")
                    .append(withError("guarded", role)).append(" | ").append(fmt(overhead)).append(" | ")
                    .append(fmt(guardItself)).append(" | ").append(fmt(bytes("guarded", role))).append(" | ")
                    .append(guardItself <= 10 ? "met" : "missed by " + fmt(guardItself - 10) + " ns").append(" | ")
                    .append(withError("locked", role)).append(" | ").append(fmt(bytes("locked", role))).append(" | ")
                    .append(Double.isNaN(locked) ? "n/a" : String.format(Locale.ROOT, "%.4f (%.0fx faster)", guarded / locked, locked / guarded))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private String withError(String benchmark, String role) {
        return guard.stream().filter(s -> s.benchmark().equals(benchmark) && s.role().equals(role)).findFirst()
                .map(s -> fmt(s.nanosPerOp()) + " ± " + fmt(s.error())).orElse("n/a");
    }

    private double bytes(String benchmark, String role) {
        return guard.stream().filter(s -> s.benchmark().equals(benchmark) && s.role().equals(role)).mapToDouble(GuardScore::bytesPerOp)
                .findFirst().orElse(Double.NaN);
    }

    private double score(String benchmark, String role) {
        return guard.stream().filter(s -> s.benchmark().equals(benchmark) && s.role().equals(role)).mapToDouble(GuardScore::nanosPerOp)
                .findFirst().orElse(Double.NaN);
    }

    private void handoffSections(StringBuilder md) {
        md.append("## 1. Graceful hand-off (leader's release call -> successor's `granted`, ms)\n\n");
        md.append("Both stamps are `System.nanoTime()` (CLOCK_MONOTONIC) in the two candidate JVMs. ");
        if (settings.warmupRounds() > 0) {
            md.append("The first ").append(settings.warmupRounds()).append(" rounds of each row are warm-up, counted apart ")
                    .append("(fresh candidate JVMs: code not yet compiled); the rounds after them are the row's figures. ");
        }
        md.append("Targets of issue 21: p50 at most 2 ms on local and LAN, at most 4 ms on etcd, at most 2 ms and 1/20 of ")
                .append("Spring Integration's on Redis, at most half of Curator `LeaderLatch`'s on ZooKeeper; p99 at most ")
                .append("3x the p50.\n\n");
        md.append("| Backend | Server | warm-up rounds: p50 | Rounds | p50 | p99 | min | max | p99 / p50 | targets (issue 21) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (HandoffRow row : orderedHandoffs()) {
            md.append("| ").append(row.backend()).append(" | ").append(row.server()).append(" | ")
                    .append(row.warmup() == null ? "none" : row.warmup().count() + ": " + Stats.ms(row.warmup().p50()))
                    .append(" | ").append(row.graceful().count())
                    .append(" | ").append(Stats.ms(row.graceful().p50())).append(" | ").append(Stats.ms(row.graceful().p99()))
                    .append(" | ").append(Stats.ms(row.graceful().min())).append(" | ").append(Stats.ms(row.graceful().max()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f", row.graceful().p99() / row.graceful().p50()))
                    .append(" | ").append(handoffTargets(row)).append(" |\n");
        }
        notMeasured(md, 10);
        md.append("\n## 2. Crash failover (`kill -9` of the leader's JVM -> successor's `granted`, ms)\n\n");
        md.append("| Backend | Lease | Rounds | p50 | p99 | p50 as lease + x | target <= lease + 100 ms |\n|---|---|---|---|---|---|---|\n");
        for (HandoffRow row : orderedHandoffs()) {
            double overLease = row.crash().p50() - row.lease().toNanos();
            md.append("| ").append(row.backend()).append(" | ").append(row.lease().toMillis()).append(" ms | ")
                    .append(row.crash().count()).append(" | ").append(Stats.ms(row.crash().p50())).append(" | ")
                    .append(Stats.ms(row.crash().p99())).append(" | lease ").append(overLease < 0 ? "- " + Stats.ms(-overLease) : "+ " + Stats.ms(overLease)).append(" ms | ")
                    .append(ANCHORS.containsKey(row.backend()) ? "anchor" : overLease <= 100_000_000 ? "met"
                            : "missed by " + Stats.ms(overLease - 100_000_000) + " ms").append(" |\n");
        }
        notMeasured(md, 7);
        md.append('\n');
    }

    private String handoffTargets(HandoffRow row) {
        if (ANCHORS.containsKey(row.backend())) {
            return "anchor";
        }
        HandoffTarget target = BackendType.fromId(row.backend()).map(HANDOFF_TARGETS::get).orElse(null);
        if (target == null) {
            return "no target for " + row.backend();
        }
        List<String> verdicts = new ArrayList<>();
        double p50 = row.graceful().p50();
        if (!Double.isNaN(target.maxNanos())) {
            verdicts.add("p50 <= " + Stats.ms(target.maxNanos()) + " ms " + verdict(p50 <= target.maxNanos()));
        }
        if (target.anchor() != null) {
            HandoffRow anchor = row(target.anchor());
            String share = String.format(Locale.ROOT, "p50 <= %s x %s", target.maxShareOfAnchor() < 0.1 ? "1/" + Math.round(1 / target.maxShareOfAnchor())
                    : String.valueOf(target.maxShareOfAnchor()), target.anchor());
            verdicts.add(anchor == null ? share + ": anchor not in this run"
                    : String.format(Locale.ROOT, "%s %s (%.3f)", share, verdict(p50 <= target.maxShareOfAnchor() * anchor.graceful().p50()),
                            p50 / anchor.graceful().p50()));
        }
        verdicts.add("p99 <= 3 x p50 " + verdict(row.graceful().p99() <= MAX_P99_OVER_P50 * p50));
        return String.join("; ", verdicts);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "missed";
    }

    private void notMeasured(StringBuilder md, int columns) {
        for (BackendType type : BackendType.values()) {
            if (handoffs.stream().noneMatch(h -> h.backend().equals(type.id()))) {
                md.append("| ").append(type.id()).append(" | not measured in this run").append(" |".repeat(columns - 1)).append('\n');
            }
        }
    }

    private void startupSection(StringBuilder md) {
        md.append("## 7. Start-up cost (minimal Boot app, no web server)\n\n");
        if (startup == null) {
            md.append("Not measured.\n");
            return;
        }
        md.append("Time from JVM start to `SpringApplication.run` returning, live heap after two `System.gc()` and classes loaded; JVM ")
                .append(String.join(" ", StartupCost.JVM_OPTIONS)).append(" and `java.io.tmpdir` in the run's work directory (the local backend's ")
                .append("default lock directory lies under it; no `leader.*` property is set), median of ").append(startup.of(StartupCost.Side.BOOT).size())
                .append(" runs per class path, the class paths taking turns. Each class path holds the benchmark's classes and only ")
                .append("the jars of its starters; each adds to the one above it:\n\n");
        for (StartupCost.Side side : StartupCost.Side.values()) {
            md.append("- ").append(side.label()).append(": ").append(String.join(", ", startup.jars().get(side))).append('\n');
        }
        md.append("\n| class path | start-up (ms) | live heap (MiB) | classes loaded |\n|---|---|---|---|\n");
        for (StartupCost.Side side : StartupCost.Side.values()) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.0f |%n", side.label(), startupMedian(side, StartupCost.Sample::millis),
                    startupMedian(side, StartupCost.Sample::heapBytes) / 1048576, startupMedian(side, StartupCost.Sample::classes)));
        }
        startupDifference(md, "**added by the starter, Actuator on both sides**", StartupCost.Side.ACTUATOR, true);
        startupDifference(md, "added by the starter with the Actuator it brings, next to `spring-boot-starter` alone",
                StartupCost.Side.BOOT, false);
        Stats rounds = Stats.of(startup.roundDifferences(StartupCost.Side.STARTER, StartupCost.Side.ACTUATOR));
        md.append(String.format(Locale.ROOT, "%nThe starter's start-up time next to Actuator alone in the same round: median %+.0f ms, "
                + "from %+.0f to %+.0f ms.%n", rounds.p50(), rounds.min(), rounds.max()));
    }

    private void startupDifference(StringBuilder md, String label, StartupCost.Side baseline, boolean bold) {
        StartupCost.Side measured = StartupCost.Side.STARTER;
        String format = bold ? "| %s | **%+.0f** | **%+.1f** | **%+.0f** |%n" : "| %s | %+.0f | %+.1f | %+.0f |%n";
        md.append(String.format(Locale.ROOT, format, label,
                startupMedian(measured, StartupCost.Sample::millis) - startupMedian(baseline, StartupCost.Sample::millis),
                (startupMedian(measured, StartupCost.Sample::heapBytes) - startupMedian(baseline, StartupCost.Sample::heapBytes)) / 1048576,
                startupMedian(measured, StartupCost.Sample::classes) - startupMedian(baseline, StartupCost.Sample::classes)));
    }

    private double startupMedian(StartupCost.Side side, Function<StartupCost.Sample, Number> value) {
        return Stats.of(Objects.requireNonNull(startup).of(side).stream().map(value).toList()).p50();
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? Long.toString(duration.toSeconds())
                : String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    private static String fmt(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }
}
