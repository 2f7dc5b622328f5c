package dev.leader.fault;

import dev.leader.fault.Apps.App;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Function;

/**
 * The two-elections fault: the apps run a second election next to the default one, two apps
 * each lead one and wait for the other's, and the second one's leader goes (SIGTERM or kill -9):
 * the leader of the default election, its only other candidate, must take it over within the
 * bound while it goes on leading its own.
 *
 * <p>With the local backend's POSIX record locks that state is a cycle of waits the kernel
 * refuses with {@code EDEADLK}: no kernel wake-up comes for the refused waiter, which must notice
 * the release by itself. A waiter that polls every few seconds fails the hand-off bound, which is
 * why the third app steps out of the second election first: a waiter asleep in the kernel would
 * be woken at once and hide the refused one.
 */
final class TwoElections {

    /** The apps' second election, next to {@link Journal#DEFAULT_ELECTION}. */
    static final String SECOND = "fault-b";

    /**
     * A graceful stop hands over in milliseconds (the holder writes its release before it
     * unlocks, which wakes a refused waiter); the bound leaves room for a loaded machine, and
     * none for a waiter polling every few seconds.
     */
    static final Duration GRACEFUL_HAND_OFF = Duration.ofSeconds(1);

    /** The local backend retries a refused wait at least every second; a killed holder writes nothing to wake it earlier. */
    static final Duration LOCAL_KILL_HAND_OFF = Duration.ofSeconds(2);

    private static final Duration ORDER_TIMEOUT = Duration.ofSeconds(15);

    private static final Duration BELIEF_FRESHNESS = Duration.ofMillis(500);

    private final Apps apps;

    private final Journal journal;

    private final Random random;

    private final Duration killHandOff;

    private final List<String> healViolations;

    private final Function<String, List<String>> believers;

    /**
     * @param killHandOff the bound after a kill -9 ({@link #LOCAL_KILL_HAND_OFF}, or lease + 3 s where terms end by a lease)
     * @param believers the apps believing they lead an election now, refreshed from the journal
     */
    TwoElections(Apps apps, Journal journal, Random random, Duration killHandOff, List<String> healViolations,
            Function<String, List<String>> believers) {
        this.apps = apps;
        this.journal = journal;
        this.random = random;
        this.killHandOff = killHandOff;
        this.healViolations = healViolations;
        this.believers = believers;
    }

    /** What one fault did, for the log; {@code gone} is the app that left (its slot needs a new one). */
    record Outcome(App gone, String description) {
    }

    /** {@code leader} leads the default election; every app campaigns in both. */
    Outcome inject(App leader) throws IOException {
        List<App> others = new ArrayList<>();
        for (int i = 0; i < apps.size(); i++) {
            if (i != leader.slot()) {
                others.add(apps.inSlot(i));
            }
        }
        App partner = others.remove(random.nextInt(others.size()));
        List<App> bystanders = others;
        // Only the partner may lead the second election: the others step out of it (a leader of it hands it over).
        for (App bystander : bystanders) {
            order(bystander, "withdraw " + SECOND);
        }
        order(leader, "withdraw " + SECOND);
        if (!Pause.until(() -> believers.apply(SECOND).equals(List.of(partner.candidateId())), Duration.ofSeconds(5))) {
            healViolations.add("two elections: " + partner.candidateId() + " did not lead " + SECOND + " within 5 s once alone in it; believers "
                    + believers.apply(SECOND));
        }
        // The partner, leading the second election, waits for the default one, which the leader holds: the leader's
        // wait for the second closes the cycle.
        order(leader, "join " + SECOND);
        // Long enough for a refused waiter's retries to spread out to their longest interval (a backoff
        // from 50 ms doubling to 5 s reaches it after about 5 s).
        Pause.millis(6000 + random.nextInt(3000));
        boolean cycle = asleepInTheKernel(partner) && !asleepInTheKernel(leader);
        List<String> leadingDefault = believers.apply(Journal.DEFAULT_ELECTION);
        List<String> leadingSecond = believers.apply(SECOND);
        if (!leadingDefault.equals(List.of(leader.candidateId())) || !leadingSecond.equals(List.of(partner.candidateId()))) {
            healViolations.add("two elections: expected " + leader.candidateId() + " to lead " + Journal.DEFAULT_ELECTION + " and "
                    + partner.candidateId() + " " + SECOND + ", found " + leadingDefault + " and " + leadingSecond);
        }
        boolean graceful = random.nextBoolean();
        long partnerLastBelief = journal.lastBelief(SECOND, partner.candidateId()).orElse(System.nanoTime());
        if (graceful) {
            apps.signal(partner, "TERM");
        }
        else {
            partner.process().destroyForcibly();
        }
        apps.awaitExit(partner, Duration.ofSeconds(15));
        Duration bound = graceful ? GRACEFUL_HAND_OFF : killHandOff;
        // Liveness first, generously; the bound is checked on the apps' own stamps below.
        boolean took = Pause.until(() -> believers.apply(SECOND).equals(List.of(leader.candidateId())), bound.plusSeconds(15));
        String how = graceful ? "SIGTERM" : "kill -9";
        String handOff;
        if (!took) {
            healViolations.add("two elections: " + leader.candidateId() + " did not take " + SECOND + " over from " + partner.candidateId()
                    + " (" + how + ") within " + bound.plusSeconds(15).toMillis() + " ms; believers " + believers.apply(SECOND));
            handOff = "none";
        }
        else {
            refresh();
            long lastOfPartner = journal.lastBelief(SECOND, partner.candidateId()).orElse(partnerLastBelief);
            OptionalLong first = journal.firstBeliefSince(SECOND, leader.candidateId(), lastOfPartner - BELIEF_FRESHNESS.toNanos());
            long millis = (first.orElse(System.nanoTime()) - lastOfPartner) / 1_000_000;
            handOff = millis + " ms";
            if (millis > bound.toMillis()) {
                healViolations.add("two elections: " + SECOND + " passed from " + partner.candidateId() + " (" + how + ") to "
                        + leader.candidateId() + " in " + millis + " ms, bound " + bound.toMillis() + " ms (the waiter was"
                        + (cycle ? "" : " not") + " refused by the kernel)");
            }
        }
        for (App bystander : bystanders) {
            order(bystander, "join " + SECOND);
        }
        return new Outcome(partner, String.format("%s of %s leading %s, %s leading %s (cycle %s): hand-off %s", how, partner.candidateId(),
                SECOND, leader.candidateId(), Journal.DEFAULT_ELECTION, cycle ? "refused" : "not seen", handOff));
    }

    private void order(App app, String order) throws IOException {
        if (!apps.order(app, order, ORDER_TIMEOUT)) {
            healViolations.add("two elections: " + app.candidateId() + " did not carry out '" + order + "' within "
                    + ORDER_TIMEOUT.toSeconds() + " s; see " + app.log());
        }
    }

    private void refresh() throws IOException {
        journal.refresh();
    }

    /**
     * Whether {@code app} sleeps in a blocking lock request ({@code ->} lines of /proc/locks). In
     * the cycle the partner sleeps (its wait came first) and the leader does not (refused).
     */
    private static boolean asleepInTheKernel(App app) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 5 && fields[1].equals("->") && fields[5].equals(Long.toString(app.pid()))) {
                return true;
            }
        }
        return false;
    }
}
