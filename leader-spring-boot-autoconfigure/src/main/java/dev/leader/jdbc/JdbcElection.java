package dev.leader.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import dev.leader.election.AbstractElection;
import dev.leader.election.BackendStatusTracker;
import dev.leader.election.Backoff;
import dev.leader.election.ElectionState;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import dev.leader.election.SerialLane;
import org.jspecify.annotations.Nullable;

/**
 * One candidate: campaign steps on its serial lane (threads shared by the backend's elections)
 * that, as a follower, run the conditional acquire and then time the next step the dialect's
 * way ({@link FollowerWait}) while it watches the holder's lease version
 * ({@link LeaseObservation}); it takes over another's lease only in a statement conditional on a
 * version it saw unchanged for a whole lease on its own clock. As a leader, its term is renewed
 * with the backend's other leaders ({@link Renewals}) and believed until the send time of the
 * last statement that extended it + lease - margin. Statements go through the backend's shared
 * statement connection, one at a time. No step waits on its thread: it runs its statement and
 * sets when the next step runs ({@link Wakeup}).
 *
 * <p>The incarnation is random per election object: a restarted process that reuses its
 * candidate id is still another claimant, and cannot renew or release its predecessor's term.
 */
final class JdbcElection extends AbstractElection {

    /**
     * After yielding, wait this long (and as long as a follower may take to notice the release)
     * before competing again, so that a woken follower wins.
     */
    static final Duration YIELD_PAUSE = Duration.ofMillis(100);

    /** A withdrawn candidate is woken when started again; this only bounds a wait whose wake-up was missed. */
    private static final long WITHDRAWN_RECHECK_NANOS = Duration.ofMinutes(1).toNanos();

    /** A leader is woken when its term ends; this only bounds a wait whose wake-up was missed. */
    private static final long LEADING_RECHECK_NANOS = WITHDRAWN_RECHECK_NANOS;

    /** A step's delay until the next: none, the next runs at once. */
    private static final long AT_ONCE = 0;

    /** A step's delay until the next: the follower wait set it. */
    private static final long SET_BY_WAIT = -1;

    private final HeldConnection statements;

    private final LeaseStatements sql;

    private final BackendStatusTracker health;

    private final FollowerWait followerWait;

    private final LeaseStatements.Claim claim;

    private final LeaseObservation observation;

    private final long joinMillis;

    private final SerialLane lane;

    private final Renewals renewals;

    /** Our term that the backend renews, if any. */
    private volatile @Nullable LeaderTerm leading;

    private final Wakeup wakeup;

    private final Backoff backoff;

    private volatile boolean closing;

    /** The thread running a step of this election, if any: close() from a step does not wait for itself. */
    private volatile @Nullable Thread stepping;

    // ---- the lane's steps only ----

    private boolean opened;


    private long notBeforeNanos = System.nanoTime();

    /** The token of our last granted term until the campaign thread handled its end; 0 for none. */
    private long lastToken;

    /**
     * The token the row holds under our claim as far as we know (-1: none): a granted attempt's,
     * or the one found under our id after an attempt whose answer was lost. Our claim takes its
     * row again only at this token, so an acquire the server runs late changes nothing.
     */
    private long ownToken = -1;

    JdbcElection(String name, String candidateId, JdbcBackendSettings settings, HeldConnection statements,
            LeaseStatements sql, BackendStatusTracker health, SerialLane lane, Renewals renewals, FollowerWait.Factory waits) {
        super(name, candidateId, LeaseDeadline.of(settings.lease(), settings.margin()));
        this.statements = statements;
        this.sql = sql;
        this.health = health;
        this.claim = new LeaseStatements.Claim(name, candidateId, incarnation());
        this.observation = new LeaseObservation(settings.lease().toNanos());
        this.joinMillis = settings.renewInterval().multipliedBy(2).toMillis() + 1_000;
        Duration cap = settings.lease().compareTo(Duration.ofSeconds(5)) < 0 ? settings.lease() : Duration.ofSeconds(5);
        this.backoff = new Backoff(Duration.ofMillis(20).compareTo(cap) < 0 ? Duration.ofMillis(20) : cap, cap);
        this.lane = lane;
        this.renewals = renewals;
        this.wakeup = new Wakeup(lane, this::runStep);
        this.followerWait = waits.create(name, candidateId, wakeup, this::heard);
    }

    private static String incarnation() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    // ---- hooks ----

    @Override
    protected void onStart() {
        wakeup.wake();
    }

    @Override
    protected void onYield(Leadership term) {
        wakeup.wake(); // the next step releases the ended term
    }

    /**
     * The next step releases the ended term, as on a yield, then waits for
     * {@link #onRejoin()}; a follower's wait ends by itself, at the latest when the lease it read
     * would end, and no attempt follows.
     */
    @Override
    protected void onWithdraw(@Nullable Leadership held) {
        wakeup.wake();
    }

    @Override
    protected void onRejoin() {
        wakeup.wake();
    }

    @Override
    protected void onLeaseExpired(Leadership term) {
        log.warn("{} lease deadline passed without a confirmed renewal; campaigning again", logPrefix);
        wakeup.wake();
    }

    @Override
    protected void onClose(@Nullable Leadership held) {
        closing = true;
        wakeup.wake();
        if (held != null) {
            // Release here rather than in a step: the successor is woken now.
            release(held.fencingToken());
        }
        else {
            followerWait.abort();
        }
        awaitRunningStep();
        lane.shutdown();
        followerWait.close();
    }

    /** Lets a step that runs now (an acquire whose grant close() must release) finish first, for a bound. */
    private void awaitRunningStep() {
        if (Thread.currentThread() == stepping) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        if (!lane.execute(done::countDown)) {
            return;
        }
        try {
            if (!done.await(joinMillis, TimeUnit.MILLISECONDS)) {
                log.warn("{} campaign step still busy {} ms after close (a statement or connect that does not time out?);"
                        + " it stops at its end", logPrefix, joinMillis);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the lane's steps ----

    private void runStep() {
        if (closing) {
            return;
        }
        stepping = Thread.currentThread();
        wakeup.clear();
        long next;
        try {
            if (!opened) {
                followerWait.open();
                opened = true;
            }
            next = step();
        }
        catch (SQLException ex) {
            if (closing) {
                return;
            }
            boolean unreachable = HeldConnection.isConnectionFailure(ex);
            failed(ex, unreachable);
            Duration pause = backoff.next();
            log.warn("{} database call failed, again in {} ms: {}", logPrefix, pause.toMillis(), ex.toString());
            if (unreachable) {
                disconnected();
            }
            next = pause.toNanos();
        }
        catch (RuntimeException ex) {
            log.error("{} campaign step failed", logPrefix, ex);
            next = backoff.next().toNanos();
        }
        finally {
            stepping = null;
        }
        if (closing) {
            return;
        }
        if (next == AT_ONCE) {
            wakeup.wake();
        }
        else if (next != SET_BY_WAIT) {
            wakeup.after(next);
        }
    }

    /** @return the delay until the next step: {@link #AT_ONCE}, {@link #SET_BY_WAIT} or nanoseconds */
    private long step() throws SQLException {
        Leadership term = currentTerm();
        if (term != null) {
            return LEADING_RECHECK_NANOS; // renewed with the others; a yield, an expired or lost lease, close() wake us
        }
        long ended = lastToken;
        if (ended != 0) {
            // The term ended here (yield, lease deadline, lost renewal) and our claim could take it
            // again at once: release it in the database (a no-op unless it is still ours), then
            // stand back so that a follower woken by the release wins.
            lastToken = 0;
            release(ended);
            notBeforeNanos = System.nanoTime() + YIELD_PAUSE.toNanos() + followerWait.noticeNanos();
            return AT_ONCE;
        }
        if (!isCampaigning()) {
            // Withdrawn: what a term of ours kept for followers to wait on (MariaDB's named lock) goes too.
            followerWait.notLeading();
            return WITHDRAWN_RECHECK_NANOS; // onRejoin() or close() wakes us
        }
        long early = notBeforeNanos - System.nanoTime();
        if (early > 0) {
            return early;
        }
        LeaseStatements.Version takeover = observation.takeover(System.nanoTime());
        long ours = ownToken;
        LeaseStatements.Attempt attempt = statements.use(c -> sql.acquire(c, claim, takeover, ours));
        health.succeeded(attempt.receivedNanos() - attempt.sendNanos());
        backoff.reset();
        if (attempt.granted()) {
            ownToken = attempt.token();
            observation.forget();
            if (!takeover.equals(LeaseStatements.Version.NONE)) {
                log.info("{} took over a lease that stayed at {} for a whole lease", logPrefix, takeover);
            }
            won(attempt);
            return AT_ONCE;
        }
        if (candidateId().equals(attempt.holder()) && attempt.found().token() != ours) {
            // Held under our id at a token we did not know: our own acquire whose answer was
            // lost (or a twin's, with another incarnation: then the next attempt matches nothing
            // and we follow). Take our row again at that token, at once.
            ownToken = attempt.found().token();
            return AT_ONCE;
        }
        follow(attempt.holder());
        if (attempt.holder() == null) {
            // Released or created concurrently by another candidate: look again at once.
            observation.forget();
            return AT_ONCE;
        }
        observation.answered(attempt.found(), attempt.holderLeaseNanos(), attempt.receivedNanos());
        long remaining = observation.takeoverAtNanos() - System.nanoTime();
        if (log.isDebugEnabled()) {
            log.debug("{} {} holds the lease at {}; taken over in {} ms unless it changes", logPrefix, attempt.holder(),
                    attempt.found(), remaining / 1_000_000);
        }
        followerWait.await(Math.max(0, remaining));
        return SET_BY_WAIT;
    }

    /** A grant or renewal to another, heard from the database; when its lease may be taken over. */
    private long heard(String holder, LeaseStatements.Version version, long holderLeaseNanos, long receivedNanos) {
        follow(holder);
        observation.notified(version, holderLeaseNanos, receivedNanos);
        return observation.takeoverAtNanos();
    }

    private void won(LeaseStatements.Attempt attempt) {
        if (!closing && grant(attempt.token(), attempt.sendNanos())) {
            lastToken = attempt.token();
            followerWait.leading();
            Leadership term = currentTerm();
            if (term != null && term.fencingToken() == attempt.token()) {
                LeaderTerm renewed = new LeaderTerm(term);
                leading = renewed;
                renewals.add(renewed);
            }
            return;
        }
        if (closing || !isCampaigning()) {
            // close() or withdraw() raced the grant: the term is ours but nobody wants it.
            release(attempt.token());
        }
        // Otherwise the proof came too late to lead on; the next attempt re-takes our own claim.
    }

    /** A term of ours, renewed with the backend's other leaders; told on the timer thread. */
    private final class LeaderTerm implements Renewals.Term {

        private final Leadership term;

        LeaderTerm(Leadership term) {
            this.term = term;
        }

        @Override
        public LeaseStatements.Claim claim() {
            return claim;
        }

        @Override
        public long token() {
            return term.fencingToken();
        }

        @Override
        public void renewed(long sendNanos) {
            JdbcElection.this.renewed(term, sendNanos);
            followerWait.leading();
        }

        @Override
        public void lost() {
            renewals.remove(this);
            if (currentTerm() == term) {
                log.warn("{} the database no longer holds our lease (another took it over or it was released)", logPrefix);
                revoke(term, RevokeReason.LEASE_EXPIRED, ElectionState.FOLLOWER);
            }
            wakeup.wake(); // the next step releases the ended term
        }
    }

    /** Gives the term up in the database (row first, so that whoever wakes finds it free), then the wait's hold. */
    private void release(long token) {
        LeaderTerm renewed = leading;
        if (renewed != null && renewed.token() == token) {
            renewals.remove(renewed);
        }
        try {
            statements.use(c -> sql.release(c, claim, token));
        }
        catch (SQLException ex) {
            failed(ex, HeldConnection.isConnectionFailure(ex));
            log.warn("{} release failed; the lease will expire on its own: {}", logPrefix, ex.toString());
        }
        finally {
            followerWait.notLeading();
        }
    }

    /** A statement failed; the database is unreachable only when it broke the connection or none could be opened. */
    private void failed(Exception ex, boolean unreachable) {
        if (unreachable) {
            health.failed(ex);
        }
        else {
            health.error(ex.toString());
        }
    }
}
