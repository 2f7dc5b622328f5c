package dev.leader.fault;

import dev.leader.fault.Apps.App;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import dev.leader.autoconfigure.BackendType;
import dev.leader.testsupport.ServerProcess;

/**
 * One backend for a while: N fault apps, then faults drawn from a seeded plan, one at a time,
 * each held, healed, and followed by a wait for exactly one leader within the fault's bound.
 * The checker then reads what the apps reported.
 */
final class FaultRun {

    /** How long the leader's probe may stay silent before the harness counts it as not leading. */
    private static final Duration BELIEF_FRESHNESS = Duration.ofMillis(500);

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);

    private static final Duration JOB_RATE = Duration.ofSeconds(1);

    /** {@code -Dfault.kinds=NETWORK_CUT,PAUSE_LEADER}: plan only these kinds (to chase one finding). */
    private static final List<String> ONLY = List.of(System.getProperty("fault.kinds", "").split(",")).stream()
            .filter(k -> !k.isBlank()).toList();

    /** {@code -Dfault.app.args="--logging.level.dev.leader.lan=DEBUG"}: extra fault-app arguments. */
    private static final List<String> EXTRA_APP_ARGUMENTS = List.of(System.getProperty("fault.app.args", "").split(" "))
            .stream().filter(a -> !a.isBlank()).toList();

    /** What a run came to, for the table. */
    record Result(String backend, long seed, Duration ran, boolean namespaces, List<FaultKind> planned,
            Map<FaultKind, Integer> faults, Checker.Verdict verdict, List<String> healViolations) {

        int totalFaults() {
            return faults.values().stream().mapToInt(Integer::intValue).sum();
        }

        boolean passed() {
            return verdict.violations().isEmpty() && healViolations.isEmpty();
        }
    }

    private final BackendType backendType;

    private final Path jar;

    private final Path work;

    private final Duration lease;

    private final int slots;

    private final Random random;

    private final long seed;

    private final Map<FaultKind, Integer> injected = new EnumMap<>(FaultKind.class);

    private final List<String> healViolations = new ArrayList<>();

    private final List<Checker.Window> faultWindows = new ArrayList<>();

    /** The app the current fault hit, for the log. */
    private String target = "";

    private Lab lab;

    private Backend backend;

    private Apps apps;

    private Journal journal;

    /** The elections every app runs: the default one, and the second one when the plan has the two-elections fault. */
    private List<String> elections = List.of(Journal.DEFAULT_ELECTION);

    FaultRun(BackendType backendType, Path jar, Path work, Duration lease, int slots, long seed) {
        this.backendType = backendType;
        this.jar = jar;
        this.work = work;
        this.lease = lease;
        this.slots = slots;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** Plans none of {@code kinds}: for a short run that must stay green while a finding of that kind is open. */
    Result run(Duration duration) throws IOException {
        long began = System.nanoTime();
        Files.createDirectories(work);
        lab = Lab.create(slots, true);
        List<FaultKind> kinds = List.of();
        try {
            backend = Backend.create(backendType, lab, work, lease);
            kinds = plannable();
            List<String> arguments = new ArrayList<>(backend.appArguments());
            arguments.addAll(List.of("--leader.lease-duration=" + lease.toMillis() + "ms", "--leader.shutdown-timeout=2s",
                    "--fault.job.work=200ms"));
            if (kinds.contains(FaultKind.TWO_ELECTIONS)) {
                arguments.add("--fault.second-election=" + TwoElections.SECOND);
                elections = List.of(Journal.DEFAULT_ELECTION, TwoElections.SECOND);
            }
            arguments.addAll(EXTRA_APP_ARGUMENTS);
            apps = new Apps(lab, jar, work, slots, arguments);
            journal = new Journal(apps.report());
            for (int i = 0; i < slots; i++) {
                apps.start(i);
            }
            awaitAllStarted();
            expectOneLeader("start-up", Duration.ofSeconds(30));
            log("plan: seed " + seed + ", " + kinds.size() + " kinds of fault: " + kinds + (lab.namespaces() ? ", apps in network namespaces" : ", loopback (no network namespaces)"));
            long end = began + duration.toNanos();
            List<FaultKind> bag = new ArrayList<>();
            // However short the run, every kind comes once.
            while (System.nanoTime() < end || injected.size() < kinds.size()) {
                if (bag.isEmpty()) {
                    // Every kind once per round, in a random order: even a short run tries them all.
                    bag.addAll(kinds);
                    Collections.shuffle(bag, random);
                }
                FaultKind kind = bag.remove(bag.size() - 1);
                inject(kind);
                injected.merge(kind, 1, Integer::sum);
                awaitAllStarted();
                backend.checkpoint();
                Pause.millis(500 + random.nextInt(1500));
            }
        }
        finally {
            close();
        }
        journal.refresh();
        Checker.Verdict verdict = new Checker(JOB_RATE, faultWindows).check(journal);
        return new Result(backendType.id(), seed, Duration.ofNanos(System.nanoTime() - began), lab.namespaces(), kinds, injected, verdict,
                healViolations);
    }

    private List<FaultKind> plannable() {
        return backend.faults().stream().filter(k -> ONLY.isEmpty() || ONLY.contains(k.name()))
                .filter(k -> k != FaultKind.NETWORK_CUT || lab.namespaces())
                .filter(k -> k != FaultKind.CLOCK_JUMP || Apps.clockFaultsAvailable())
                .filter(k -> k != FaultKind.ONE_WAY_LOSS || lab.oneWayLossUnavailableReason() == null).toList();
    }

    private void inject(FaultKind kind) throws IOException {
        App leader = leader();
        target = leader.candidateId();
        long at = System.nanoTime();
        switch (kind) {
            case SIGTERM_LEADER -> {
                apps.signal(leader, "TERM");
                expectLeaderOtherThan(leader, kind, Duration.ofSeconds(5));
                apps.awaitExit(leader, Duration.ofSeconds(15));
                apps.start(leader.slot());
            }
            case KILL_LEADER -> {
                leader.process().destroyForcibly();
                apps.awaitExit(leader, Duration.ofSeconds(10));
                expectLeaderOtherThan(leader, kind, lease.plusSeconds(3));
                apps.start(leader.slot());
            }
            case PAUSE_LEADER -> {
                if (!backend.leased()) {
                    pauseWithoutLease(leader);
                    break;
                }
                apps.signal(leader, "STOP");
                expectLeaderOtherThan(leader, kind, lease.plusSeconds(3));
                Pause.millis(random.nextInt(2000));
                apps.signal(leader, "CONT");
                expectOneLeader(kind.label() + " (after SIGCONT)", Duration.ofSeconds(3));
            }
            case BACKEND_RESTART -> {
                backend.crash();
                Pause.millis(1000 + random.nextInt(3000));
                backend.recover();
                expectOneLeader(kind.label(), lease.plusSeconds(15));
            }
            case QUORUM_LOSS -> {
                backend.loseQuorum(random);
                Pause.millis(2000 + random.nextInt(3000));
                backend.recover();
                expectOneLeader(kind.label(), lease.plusSeconds(15));
            }
            case NETWORK_CUT -> {
                int slot = random.nextBoolean() ? leader.slot() : random.nextInt(slots);
                target = apps.inSlot(slot).candidateId();
                lab.cut(slot);
                if (slot == leader.slot()) {
                    expectLeaderOtherThan(leader, kind, lease.plusSeconds(5));
                }
                Pause.millis(random.nextInt(3000));
                lab.heal(slot);
                expectOneLeader(kind.label() + " (after heal)", lease.plusSeconds(10));
            }
            case CLOCK_JUMP -> clockJump(leader);
            case SERVER_PAUSE -> {
                ServerProcess paused = backend.pauseServer(random);
                target = "server :" + paused.port();
                // Beyond the lease: a leader that cannot renew stops believing by itself; nobody else may lead meanwhile.
                Pause.millis(lease.toMillis() + random.nextInt(3000));
                paused.resume();
                expectOneLeader(kind.label() + " (after SIGCONT)", lease.plusSeconds(15));
            }
            case OLD_SNAPSHOT, EMPTY_RESTART -> {
                backend.restartForgetting(kind == FaultKind.OLD_SNAPSHOT);
                // A leader of the forgotten state loses its term at its next renewal, and a server
                // that cannot vouch for what it forgot grants nobody for a lease: a new term may come
                // seconds after the restart. It belongs to this fault, not to the next one, which
                // would otherwise be blamed for it (a clock jump "changed leadership").
                Pause.until(() -> {
                    refreshJournal();
                    return journal.grants().stream().anyMatch(granted -> granted.at() > at);
                }, lease.multipliedBy(5).dividedBy(2));
                expectOneLeader(kind.label(), lease.plusSeconds(15));
            }
            case DUPLICATE_ID -> duplicateId(leader);
            case ONE_WAY_LOSS -> oneWayLoss(leader);
            case SERVER_CLOCK_JUMP -> {
                target = "database server";
                String offset = (random.nextBoolean() ? "+" : "-") + (3600 + random.nextInt(20_000));
                leadershipUnchangedBy("server clock jump " + offset, () -> {
                    backend.setServerClock(offset);
                    Pause.millis(3000 + random.nextInt(3000));
                    backend.setServerClock("+0");
                    // libfaketime re-reads the file once a second: give the way back time to land.
                    Pause.millis(1500);
                });
            }
            case POOL_EXHAUSTION -> exhaustPool(leader);
            case TWO_ELECTIONS -> {
                TwoElections.Outcome outcome = new TwoElections(apps, journal, random,
                        backend.leased() ? lease.plusSeconds(3) : TwoElections.LOCAL_KILL_HAND_OFF, healViolations, this::believers)
                        .inject(leader);
                target = outcome.description();
                apps.start(outcome.gone().slot());
                expectOneLeader(kind.label(), Duration.ofSeconds(5));
            }
        }
        faultWindows.add(new Checker.Window(at, System.nanoTime()));
        log(String.format("%-16s leader %s, target %s, at %d, healed in %.0f ms", kind.label(), leader.candidateId(), target, at,
                (System.nanoTime() - at) / 1e6));
    }

    /**
     * The local backend's lock has no lease: the kernel keeps a stopped process's lock, so
     * nobody else may lead while it is paused, and it leads on after SIGCONT.
     */
    private void pauseWithoutLease(App leader) throws IOException {
        apps.signal(leader, "STOP");
        Pause.millis(lease.toMillis() + 500 + random.nextInt(2000));
        List<String> during = believers(Journal.DEFAULT_ELECTION);
        if (!during.isEmpty()) {
            healViolations.add("sigstop without a lease: " + during + " led while " + leader.candidateId() + " held the lock");
        }
        apps.signal(leader, "CONT");
        expectOneLeader("sigstop (after SIGCONT)", Duration.ofSeconds(3));
    }

    /** The wall clock of one app (the leader, half the time) jumps hours away and back: nothing may change. */
    private void clockJump(App leader) throws IOException {
        int slot = random.nextBoolean() ? leader.slot() : random.nextInt(slots);
        target = apps.inSlot(slot).candidateId();
        String offset = (random.nextBoolean() ? "+" : "-") + (3600 + random.nextInt(20_000));
        leadershipUnchangedBy("clock jump " + offset + " of slot " + slot, () -> {
            apps.setClock(slot, offset);
            Pause.millis(3000 + random.nextInt(3000));
            apps.setClock(slot, "+0");
            // libfaketime re-reads the file once a second: give the way back time to land.
            Pause.millis(1500);
        });
    }

    /** One app's own threads (the leader's, half the time) hold every connection of its pool for a few seconds: nothing may change. */
    private void exhaustPool(App leader) throws IOException {
        int slot = random.nextBoolean() ? leader.slot() : random.nextInt(slots);
        target = apps.inSlot(slot).candidateId();
        Path order = apps.poolHogFile(slot);
        int seconds = 3 + random.nextInt(4);
        leadershipUnchangedBy("pool exhausted for " + seconds + " s in slot " + slot, () -> {
            Files.writeString(order, seconds + "\n");
            if (!Pause.until(() -> done(order), Duration.ofSeconds(seconds + 30L))) {
                healViolations.add("pool exhaustion: the app in slot " + slot + " never gave its connections back; see "
                        + apps.inSlot(slot).log());
            }
        });
        Files.deleteIfExists(order);
    }

    private static boolean done(Path order) {
        try {
            return Files.readString(order).strip().equals("done");
        }
        catch (IOException ex) {
            return false;
        }
    }

    /** Something that must not change who leads: no grant, no revoke while it lasts, one leader after it. */
    private void leadershipUnchangedBy(String what, Fault fault) throws IOException {
        // The current term's grant line may trail its first belief (its listeners run behind a
        // slow one): a grant of a term already believed before the fault is not a change by it.
        Pause.until(() -> {
            refreshJournal();
            return journal.latestBeliefGranted();
        }, Duration.ofSeconds(2));
        Set<String> believedBefore = journal.beliefs().stream().map(b -> b.election() + "/" + b.token()).collect(Collectors.toSet());
        int grantsBefore = journal.grants().size();
        int revocationsBefore = journal.revocations().size();
        fault.inject();
        journal.refresh();
        List<Journal.Granted> newGrants = journal.grants().subList(grantsBefore, journal.grants().size()).stream()
                .filter(g -> !believedBefore.contains(g.election() + "/" + g.token())).toList();
        if (!newGrants.isEmpty() || journal.revocations().size() != revocationsBefore) {
            healViolations.add(what + " changed leadership: " + newGrants + " "
                    + journal.revocations().subList(revocationsBefore, journal.revocations().size()));
        }
        expectOneLeader(what, Duration.ofSeconds(3));
    }

    /** What {@link #leadershipUnchangedBy} holds for a while. */
    @FunctionalInterface
    private interface Fault {

        void inject() throws IOException;
    }

    /**
     * A second app with the candidate id of the leader or of a follower, in another slot, for a
     * few seconds after it started; then SIGTERM. The two must never lead at once (the checker
     * tells terms apart by token), and one leader must remain.
     */
    private void duplicateId(App leader) throws IOException {
        App original = random.nextBoolean() ? leader : apps.inSlot(random.nextInt(slots));
        target = original.candidateId();
        int slot = (original.slot() + 1 + random.nextInt(slots - 1)) % slots;
        App twin = apps.startDuplicate(slot, original.candidateId());
        if (!Pause.until(() -> Apps.started(twin) || !twin.process().isAlive(), BOOT_TIMEOUT) || !twin.process().isAlive()) {
            healViolations.add("duplicate id: the twin of " + original.candidateId() + " did not start; see " + twin.log());
        }
        Pause.millis(2000 + random.nextInt(3000));
        apps.signal(twin, "TERM");
        apps.awaitExit(twin, Duration.ofSeconds(15));
        expectOneLeader("duplicate id (after the twin left)", lease.plusSeconds(5));
    }

    /**
     * One follower's datagrams stop reaching the other follower, then the leader hands off
     * (SIGTERM) and a new app takes its slot; the loss ends a moment later.
     */
    private void oneWayLoss(App leader) throws IOException {
        List<Integer> followers = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            if (i != leader.slot()) {
                followers.add(i);
            }
        }
        Collections.shuffle(followers, random);
        int from = followers.get(0);
        int to = followers.get(1);
        target = "slot " + from + " -> slot " + to;
        lab.dropBetween(from, to);
        try {
            apps.signal(leader, "TERM");
            apps.awaitExit(leader, Duration.ofSeconds(15));
            apps.start(leader.slot());
            awaitAllStarted();
            Pause.millis(random.nextInt(2000));
        }
        finally {
            lab.restoreBetween(from, to);
        }
        expectOneLeader("one-way loss (after it ended)", lease.plusSeconds(10));
    }

    /** The current leader of the default election: the one app whose probe reports a belief, waiting for it if need be. */
    private App leader() throws IOException {
        expectOneLeader("before a fault", lease.plusSeconds(15));
        List<String> believers = believers(Journal.DEFAULT_ELECTION);
        return believers.size() == 1 ? apps.byCandidate(believers.get(0)).orElseThrow() : apps.inSlot(0);
    }

    private void expectLeaderOtherThan(App old, FaultKind kind, Duration bound) {
        boolean ok = Pause.until(() -> {
            List<String> believers = believers(Journal.DEFAULT_ELECTION);
            return believers.size() == 1 && !believers.get(0).equals(old.candidateId());
        }, bound);
        if (!ok) {
            healViolations.add(kind.label() + ": no single new leader within " + bound.toMillis() + " ms; believers "
                    + believers(Journal.DEFAULT_ELECTION));
        }
    }

    /** Exactly one leader in every election the apps run. */
    private void expectOneLeader(String what, Duration bound) {
        if (!Pause.until(() -> elections.stream().allMatch(e -> believers(e).size() == 1), bound)) {
            healViolations.add(what + ": not exactly one leader within " + bound.toMillis() + " ms; believers "
                    + elections.stream().map(e -> e + " " + believers(e)).toList());
        }
    }

    private List<String> believers(String election) {
        refreshJournal();
        return journal.believersSince(election, System.nanoTime() - BELIEF_FRESHNESS.toNanos());
    }

    private void refreshJournal() {
        try {
            journal.refresh();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void awaitAllStarted() {
        if (!Pause.until(apps::allStarted, BOOT_TIMEOUT)) {
            for (int i = 0; i < slots; i++) {
                App app = apps.inSlot(i);
                if (!app.process().isAlive() || !Apps.started(app)) {
                    throw new IllegalStateException("app " + app.candidateId() + " did not start within " + BOOT_TIMEOUT
                            + "; see " + app.log());
                }
            }
        }
    }

    private void log(String line) {
        System.out.println("[" + backendType.id() + "] " + line);
    }

    private void close() {
        if (apps != null) {
            apps.close();
        }
        if (backend != null) {
            backend.close();
        }
        lab.close();
    }
}
