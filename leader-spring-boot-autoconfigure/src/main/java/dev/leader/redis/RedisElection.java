package dev.leader.redis;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import dev.leader.election.AbstractElection;
import dev.leader.election.Backoff;
import dev.leader.election.ElectionState;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

/**
 * A candidate of the Redis backend. All of its logic runs on the backend's scheduler, the one
 * event loop that reads and writes its connections, so the fields below need no locks and
 * nothing here may block on a reply.
 *
 * <p>A leader is renewed every lease/3 by the backend's {@link LeaseRenewals}, one call for all
 * its leaders, and believes until send time of the last confirmed renewal + lease − margin. A
 * follower waits for a release on the election's channel, for the lease key's keyspace
 * {@code expired} notification when the server sends those, and otherwise on the backend's
 * {@link LeaseWatch}, one read per interval for all its followers, which wakes it when its lease
 * will end (its {@code PTTL}).
 *
 * <p>The lease names this object's {@link LeaseOwner incarnation} next to the candidate id, so
 * that another instance started with the same id is a rival, never mistaken for ourselves.
 */
final class RedisElection extends AbstractElection {

    /** After yielding, wait this long before competing again, so that a woken follower wins. */
    static final Duration YIELD_PAUSE = Duration.ofMillis(100);

    private final RedisElectionBackend backend;

    private final RedisBackendSettings settings;

    private final ElectionKeys keys;

    private final ScheduledExecutorService scheduler;

    private final Backoff backoff;

    private final long leaseMillis;

    private final LeaseOwner owner;

    // ---- scheduler thread only ----

    /** Incarnations of our candidate id, other than ours, that we warned about. */
    private final Set<String> twinsSeen = new HashSet<>();

    private @Nullable ScheduledFuture<?> wake;

    private boolean acquiring;

    private boolean attemptAgain;

    /** After a reconnect a keyspace notification may have been missed: wait on the PTTL once. */
    private boolean waitOnPttl = true;

    private long notBeforeNanos = System.nanoTime();

    RedisElection(String name, String candidateId, RedisElectionBackend backend, RedisBackendSettings settings,
            ElectionKeys keys, ScheduledExecutorService scheduler) {
        super(name, candidateId, LeaseDeadline.of(settings.lease(), settings.margin()));
        this.backend = backend;
        this.settings = settings;
        this.keys = keys;
        this.scheduler = scheduler;
        this.leaseMillis = settings.lease().toMillis();
        this.owner = LeaseOwner.next(candidateId);
        Duration cap = settings.lease().compareTo(Duration.ofSeconds(5)) < 0 ? settings.lease() : Duration.ofSeconds(5);
        this.backoff = new Backoff(Duration.ofMillis(20).compareTo(cap) < 0 ? Duration.ofMillis(20) : cap, cap);
    }

    ElectionKeys keys() {
        return keys;
    }

    String prefix() {
        return logPrefix;
    }

    LeaseOwner owner() {
        return owner;
    }

    /** Whether {@code term} is the current term. */
    boolean leads(Leadership term) {
        return currentTerm() == term;
    }

    // ---- hooks ----

    @Override
    protected void onStart() {
        // Subscribe before the first read, so that a release right after it is not missed.
        backend.subscribe(this).whenComplete((ok, error) -> execute(this::attempt));
    }

    @Override
    protected void onYield(Leadership term) {
        RedisClusterAsyncCommands<String, String> commands = backend.commands();
        backend.renewals().remove(this, term);
        execute(() -> notBeforeNanos = System.nanoTime() + YIELD_PAUSE.toNanos());
        if (commands == null) {
            execute(this::attempt);
            return;
        }
        RedisScripts.release(commands, keys, owner, term.fencingToken())
                .whenCompleteAsync((result, error) -> {
                    if (error != null) {
                        backend.failed(error);
                        log.warn("{} release on yield failed; the lease will expire on its own: {}", logPrefix, error.toString());
                    }
                    attempt();
                }, scheduler);
    }

    /**
     * Releases the lease if held and claims nothing until rejoined; the subscription stays, and
     * the wake-ups it brings find nothing to do ({@link #attempt()}).
     */
    @Override
    protected void onWithdraw(@Nullable Leadership held) {
        if (held != null) {
            backend.renewals().remove(this, held);
        }
        backend.watch().remove(this);
        execute(() -> cancel(wake));
        if (held != null) {
            releaseInBackground(held.fencingToken(), " on withdrawal");
        }
    }

    @Override
    protected void onRejoin() {
        execute(this::attempt);
    }

    @Override
    protected void onClose(@Nullable Leadership held) {
        if (held != null) {
            backend.renewals().remove(this, held);
        }
        backend.watch().remove(this);
        execute(() -> cancel(wake));
        try {
            if (held != null) {
                releaseNow(held.fencingToken());
            }
        }
        finally {
            backend.unsubscribe(this);
        }
    }

    @Override
    protected void onLeaseExpired(Leadership term) {
        log.warn("{} lease deadline passed without a confirmed renewal; campaigning again", logPrefix);
        backend.renewals().remove(this, term);
        execute(this::attempt);
    }

    // ---- from the backend ----

    void released() {
        trace("wake: release message");
        execute(() -> {
            if (currentTerm() == null) {
                follow(null);
                attempt();
            }
        });
    }

    void expired() {
        execute(this::attempt);
    }

    void connectionLost() {
        disconnected();
    }

    void connectionRestored() {
        execute(() -> {
            waitOnPttl = true;
            attempt();
        });
    }

    // ---- campaign ----

    private void attempt() {
        if (!isCampaigning() || currentTerm() != null) {
            return;
        }
        if (acquiring) {
            attemptAgain = true;
            return;
        }
        long early = notBeforeNanos - System.nanoTime();
        if (early > 0) {
            scheduleWake(early);
            return;
        }
        RedisClusterAsyncCommands<String, String> commands = backend.commands();
        if (commands == null) {
            disconnected();
            scheduleWake(backoff.next().toNanos());
            return;
        }
        if (!backend.startAcquire(this)) {
            return; // its turn comes when another acquire of the backend is answered
        }
        cancel(wake);
        backend.watch().remove(this);
        acquiring = true;
        long sendNanos = System.nanoTime();
        trace("acquire: sending the script");
        RedisScripts.acquire(commands, keys, owner, leaseMillis)
                .whenCompleteAsync((result, error) -> acquired(result, error, sendNanos), scheduler);
    }

    private void acquired(@Nullable List<Object> result, @Nullable Throwable error, long sendNanos) {
        trace("acquire: answered");
        try {
            acquireAnswered(result, error, sendNanos);
        }
        finally {
            backend.acquireEnded();
        }
    }

    private void acquireAnswered(@Nullable List<Object> result, @Nullable Throwable error, long sendNanos) {
        acquiring = false;
        if (error != null || result == null || result.isEmpty()) {
            backend.failed(error);
            log.debug("{} acquire failed: {}", logPrefix, String.valueOf(error));
            disconnected();
            scheduleWake(backoff.next().toNanos());
            return;
        }
        backend.succeeded(System.nanoTime() - sendNanos);
        backoff.reset();
        long outcome = RedisScripts.asLong(result.get(0));
        if (outcome == RedisScripts.GRANTED) {
            long token = RedisScripts.asLong(result.get(1));
            // A close() or withdraw() that raced the reply: the lease is ours but nobody wants it.
            if (!isCampaigning() || !grant(token, sendNanos)) {
                releaseInBackground(token, "");
                if (currentTerm() == null) {
                    // Granted too late to lead on (a slow reply): try again on a fresh lease.
                    scheduleWake(backoff.next().toNanos());
                }
                return;
            }
            Leadership term = currentTerm();
            if (term != null) {
                backend.renewals().add(this, term);
            }
        }
        else if (outcome == RedisScripts.HELD_BACK) {
            long heldBack = RedisScripts.asLong(result.get(1));
            log.warn("{} Redis cannot vouch for this election's lease and epoch (it started a moment ago, restarted, was"
                    + " restored from a snapshot or failed over): nobody is granted for {} ms, so that a leader it may"
                    + " have forgotten stops believing first", logPrefix, heldBack);
            follow(null);
            scheduleWake(TimeUnit.MILLISECONDS.toNanos(heldBack + 1));
        }
        else {
            long pttl = RedisScripts.asLong(result.get(1));
            LeaseOwner holder = LeaseOwner.parse(result.get(2));
            noticeTwin(holder);
            follow(holder == null ? null : holder.candidateId());
            awaitLease(pttl);
        }
        if (attemptAgain) {
            attemptAgain = false;
            attempt();
        }
    }

    /**
     * Waits for the end of a lease with {@code pttlMillis} left: for the keyspace notification
     * when the server sends them, otherwise on the backend's {@link LeaseWatch} unless it ends
     * before the watch would read it again.
     */
    private void awaitLease(long pttlMillis) {
        if (backend.expiryNotifications() || pttlMillis <= 0 || backend.watch().endsSoon(pttlMillis)) {
            scheduleWake(followerWaitNanos(pttlMillis));
            return;
        }
        waitOnPttl = false;
        cancel(wake);
        backend.watch().add(this);
    }

    /**
     * From the {@link LeaseWatch}: the lease this follower waits on ends in {@code pttlMillis}
     * (≤ 0: ended; {@link Long#MAX_VALUE}: unknown, the server now sends expiry notifications).
     */
    void leaseEndsIn(long pttlMillis) {
        execute(() -> {
            if (isCampaigning() && currentTerm() == null && !acquiring) {
                scheduleWake(pttlMillis == Long.MAX_VALUE ? settings.followerRecheck().toNanos()
                        : TimeUnit.MILLISECONDS.toNanos(Math.max(0, pttlMillis) + 1));
            }
        });
    }

    private long followerWaitNanos(long pttlMillis) {
        if (backend.expiryNotifications() && !waitOnPttl) {
            return settings.followerRecheck().toNanos();
        }
        waitOnPttl = false;
        // PTTL is -1 for a key without expiry (never set so by us) and -2 for none: look again soon.
        long millis = pttlMillis <= 0 ? 1 : Math.min(pttlMillis, leaseMillis);
        return TimeUnit.MILLISECONDS.toNanos(millis + 1);
    }

    // ---- renewal, from the backend's LeaseRenewals ----

    /** A renewal of {@code term} sent at {@code sendNanos} held. */
    void renewedAt(Leadership term, long sendNanos) {
        renewed(term, sendNanos);
    }

    /** A renewal of {@code term} found the lease held by {@code holderValue} ('' for nobody): the term is lost. */
    void renewalRefused(Leadership term, @Nullable Object holderValue) {
        execute(() -> {
            if (currentTerm() != term) {
                return;
            }
            LeaseOwner holder = LeaseOwner.parse(holderValue);
            noticeTwin(holder);
            // Our own owner with another epoch is a lease of ours from an earlier term, brought back
            // by a restore or a failover: this term's lease is lost all the same.
            RevokeReason reason = holder == null || holder.equals(owner) ? RevokeReason.LEASE_EXPIRED : RevokeReason.PREEMPTED;
            log.warn("{} the server no longer holds our lease (expired, or lost in a restart or failover); holder: {}", logPrefix,
                    holder == null ? "none" : holder.value());
            if (revoke(term, reason, ElectionState.FOLLOWER)) {
                attempt();
            }
        });
    }

    /** Warns, once per incarnation, of another instance that runs with our candidate id. */
    private void noticeTwin(@Nullable LeaseOwner holder) {
        if (holder != null && holder.isTwinOf(owner) && twinsSeen.size() < 64 && twinsSeen.add(holder.incarnation())) {
            log.warn("{} another incarnation of candidate id '{}' ({}; ours is {}) takes part in this election: another"
                    + " instance runs with the same leader candidate id. Both still lead one at a time, but give each"
                    + " instance an id of its own", logPrefix, candidateId(), holder.incarnation(), owner.incarnation());
        }
    }

    /**
     * Sends a release and goes on (on the scheduler, the thread that would read its reply, this is
     * the only way); a failure is logged as the release{@code occasion} failing.
     */
    private void releaseInBackground(long token, String occasion) {
        RedisClusterAsyncCommands<String, String> commands = backend.commands();
        if (commands == null) {
            log.warn("{} not connected: the lease is left to expire", logPrefix);
            return;
        }
        RedisScripts.release(commands, keys, owner, token).whenComplete((result, error) -> {
            if (error != null) {
                backend.failed(error);
                log.warn("{} release{} failed; the lease will expire on its own: {}", logPrefix, occasion,
                        RedisScripts.unwrap(error).toString());
            }
        });
    }

    /** Sends a release and waits for its reply; never on the scheduler. */
    private void releaseNow(long token) {
        if (backend.onScheduler()) {
            releaseInBackground(token, "");
            return;
        }
        RedisClusterAsyncCommands<String, String> commands = backend.commands();
        if (commands == null) {
            log.warn("{} not connected: the lease is left to expire", logPrefix);
            return;
        }
        try {
            RedisScripts.release(commands, keys, owner, token)
                    .get(settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            log.warn("{} interrupted while releasing; the lease will expire on its own", logPrefix);
        }
        catch (Exception ex) {
            log.warn("{} release failed; the lease will expire on its own: {}", logPrefix, RedisScripts.unwrap(ex).toString());
        }
    }

    // ---- plumbing ----

    private void scheduleWake(long delayNanos) {
        cancel(wake);
        if (isCampaigning()) {
            wake = scheduler.schedule(this::attempt, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The backend's turn to send an acquire came: on the scheduler thread. */
    void acquireTurn() {
        attempt();
    }

    private void execute(Runnable task) {
        try {
            scheduler.execute(() -> {
                try {
                    task.run();
                }
                catch (RuntimeException ex) {
                    log.warn("{} election task failed", logPrefix, ex);
                }
            });
        }
        catch (RejectedExecutionException ex) {
            log.debug("{} backend closed; task dropped", logPrefix);
        }
    }

    private static void cancel(@Nullable ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
