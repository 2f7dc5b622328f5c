package dev.leader.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import dev.leader.election.DaemonThreads;
import dev.leader.election.Leadership;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link RedisScripts#RENEW_ALL} call per renew interval renews every lease the backend
 * holds (issue 20), instead of one call per leader: at 10,000 leaders the one command
 * connection could not carry a call per leader every lease/3 within the command timeout, and
 * leases ran out. Each term the call renewed is confirmed from that call's send time; a term
 * the server no longer holds for us is handed back to its election, which revokes it as a
 * refused renewal always did.
 *
 * <p>The tick runs on a timer thread of its own, which only sends and reads replies, so it is
 * never held up behind the elections' work on the backend's scheduler. A term added after a
 * call was sent is renewed from the next tick on, at most one interval after its grant. In a
 * Redis Cluster all keys of one script must hash to one slot, and each election's hash tag is
 * its own name, so the calls go per slot: there, leaders rarely share a call. A call whose reply
 * does not come (an error, a timeout) is sent again after a tenth of the lease, until it is
 * answered or its terms end by their deadlines.
 */
final class LeaseRenewals {

    /**
     * Most leases renewed by one call. A script holds the server while it runs, about a
     * microsecond per command inside; 1,000 leases keep one call near a few milliseconds.
     */
    static final int MOST_PER_CALL = 1000;

    private static final Logger log = LoggerFactory.getLogger(LeaseRenewals.class);

    /** A term to renew: its election, and what the script compares (keys, owner, epoch = the token). */
    record Term(RedisElection election, Leadership leadership) {
    }

    private final RedisElectionBackend backend;

    private final boolean cluster;

    private final long leaseMillis;

    private final long retryNanos;

    private final Map<RedisElection, Term> terms = new ConcurrentHashMap<>();

    private final ScheduledExecutorService timer;

    /**
     * @param timer a thread that runs nothing that blocks (this and the {@link LeaseWatch});
     *        replies are read on it too
     */
    LeaseRenewals(RedisElectionBackend backend, RedisBackendSettings settings, boolean cluster, ScheduledExecutorService timer) {
        this.backend = backend;
        this.cluster = cluster;
        this.leaseMillis = settings.lease().toMillis();
        this.retryNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), settings.lease().toNanos() / 10);
        this.timer = timer;
        long interval = settings.renewInterval().toNanos();
        try {
            timer.scheduleAtFixedRate(this::renewAll, interval, interval, TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            log.debug("backend closed; no renewals");
        }
    }

    /** A timer thread for {@link LeaseRenewals} and {@link LeaseWatch}. */
    static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.single("leader-redis-renewal"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Renews {@code leadership} of {@code election} from the next call on, until removed or ended. */
    void add(RedisElection election, Leadership leadership) {
        terms.put(election, new Term(election, leadership));
    }

    /** Renews {@code leadership} of {@code election} no more; a later term of it stays. */
    void remove(RedisElection election, Leadership leadership) {
        terms.computeIfPresent(election, (e, term) -> term.leadership() == leadership ? null : term);
    }

    int size() {
        return terms.size();
    }

    private void renewAll() {
        List<Term> due = new ArrayList<>(terms.size());
        for (Term term : terms.values()) {
            if (term.election().leads(term.leadership())) {
                due.add(term);
            }
            else {
                // Ended without a remove (its deadline passed, a refused renewal): not renewed again.
                terms.remove(term.election(), term);
            }
        }
        for (List<Term> call : calls(due, term -> term.election().keys(), cluster)) {
            send(call);
        }
    }

    /**
     * {@code items} split into script calls: at most {@link #MOST_PER_CALL} each, and in a
     * cluster one slot each (the keys of one script must hash to one slot).
     */
    static <T> List<List<T>> calls(List<T> items, Function<T, ElectionKeys> keys, boolean cluster) {
        Map<Integer, List<T>> bySlot = new LinkedHashMap<>();
        for (T item : items) {
            int slot = cluster ? SlotHash.getSlot(keys.apply(item).lease()) : 0;
            bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(item);
        }
        List<List<T>> calls = new ArrayList<>();
        for (List<T> group : bySlot.values()) {
            for (int from = 0; from < group.size(); from += MOST_PER_CALL) {
                calls.add(group.subList(from, Math.min(group.size(), from + MOST_PER_CALL)));
            }
        }
        return calls;
    }

    private void send(List<Term> call) {
        RedisClusterAsyncCommands<String, String> commands = backend.commands();
        if (commands == null) {
            retry(call);
            return;
        }
        List<ElectionKeys> keys = new ArrayList<>(call.size());
        List<String> owners = new ArrayList<>(call.size());
        List<Long> epochs = new ArrayList<>(call.size());
        for (Term term : call) {
            keys.add(term.election().keys());
            owners.add(term.election().owner().value());
            epochs.add(term.leadership().fencingToken());
        }
        long sendNanos = System.nanoTime();
        try {
            RedisScripts.renewAll(commands, keys, owners, epochs, leaseMillis)
                    .whenCompleteAsync((reply, error) -> replied(call, reply, error, sendNanos), timer);
        }
        catch (RejectedExecutionException ex) {
            log.debug("backend closed; renewal of {} leases dropped", call.size());
        }
    }

    private void replied(List<Term> call, @Nullable List<Object> reply, @Nullable Throwable error, long sendNanos) {
        if (error != null || reply == null || reply.size() != call.size()) {
            backend.failed(error);
            log.warn("renewal of {} leases failed, retrying until their deadlines: {}", call.size(),
                    error == null ? "reply " + reply : RedisScripts.unwrap(error).toString());
            retry(call);
            return;
        }
        backend.succeeded(System.nanoTime() - sendNanos);
        for (int i = 0; i < call.size(); i++) {
            Term term = call.get(i);
            Object result = reply.get(i);
            if (RedisScripts.renewed(result)) {
                term.election().renewedAt(term.leadership(), sendNanos);
            }
            else {
                terms.remove(term.election(), term);
                term.election().renewalRefused(term.leadership(), result);
            }
        }
    }

    private void retry(List<Term> call) {
        try {
            timer.schedule(() -> {
                List<Term> still = call.stream().filter(term -> term.election().leads(term.leadership())).toList();
                if (!still.isEmpty()) {
                    send(still);
                }
            }, retryNanos, TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            log.debug("backend closed; renewal retry of {} leases dropped", call.size());
        }
    }
}
