package dev.leader.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * The Lua scripts of a term, and {@link #PTTL_ALL} for followers. Each compares the owner (candidate id and incarnation) and,
 * for renew (of many terms at once) and release, the term's epoch before it touches the lease, so a stale leader's late
 * command cannot extend or delete a lease that is no longer its own, even one that the same
 * candidate re-acquired in a later term. Scripts run by SHA; a server that does not know one
 * (restarted, {@code SCRIPT FLUSH}) gets the full text once, which also caches it again.
 *
 * <p><b>When Redis forgets.</b> A restart without persistence loses lease and epoch; one from
 * an RDB snapshot, or a replica promoted before it received the last writes, brings back older
 * ones. A leader of the lost state may then still believe for up to a lease, and an epoch
 * raised from an older value would repeat tokens. Two rules keep both promises:
 * <ul>
 * <li>A token never goes below the server's clock in microseconds, nor below the last epoch
 * + 1. Tokens are issued far less often than once a microsecond, so every token issued before
 * a loss is below the clock after it, as long as the server's clock (or, after a failover, the
 * new master's) has not stepped back by more than the outage.
 * <li>The election's {@code server} key holds the run id of the Redis process that last granted
 * or renewed its lease. When an acquire finds another run id there, that process's state was
 * restored or replicated, and some of it may be lost: nobody is granted for one lease (the lease
 * key holds an empty value with that expiry), so that every leader of the lost state has passed
 * its deadline first. When it finds no run id at all (first use, or everything lost) it waits
 * only until one lease after the server started, unless the server was ever promoted from a
 * replica ({@code master_replid2} set), when it cannot know since when, and waits a whole lease.
 * ({@code uptime_in_seconds} is a difference of whole seconds since the epoch: it may count one
 * second more than have passed, so one second is taken off it.)
 * A renewal that finds its own lease and epoch stamps the run id: that lease survived, and now
 * runs a whole lease from the renewal, so nobody can be granted before every lost term ended.
 * </ul>
 *
 * <p>Keys: {@code KEYS[1]} the lease, {@code KEYS[2]} the epoch, {@code KEYS[3]} the server
 * stamp; all carry the same hash tag ({@link #RENEW_ALL}: these three per election).
 */
final class RedisScripts {

    /** A reply of {@link #ACQUIRE}: the lease is ours, with the token that follows. */
    static final long GRANTED = 1;

    /** A reply of {@link #ACQUIRE}: the lease is held, for the PTTL and by the holder that follow. */
    static final long HELD = 0;

    /** A reply of {@link #ACQUIRE}: the server cannot vouch for the election's state; nobody is granted for the ms that follow. */
    static final long HELD_BACK = 2;

    /**
     * ARGV: owner, lease ms. Free or already ours (a lost reply of our own acquire), and vouched
     * for: the next epoch and the lease → {1, epoch}. (The epoch is built as a string: Lua's
     * numbers are doubles and would print in exponent form.) Held → {0, pttl, holder}; not
     * vouched for → {2, ms held back}.
     */
    static final String ACQUIRE = """
            local holder = redis.call('GET', KEYS[1])
            if holder ~= false and holder ~= ARGV[1] then
              return {0, redis.call('PTTL', KEYS[1]), holder}
            end
            local info = redis.call('INFO', 'server')
            local run = string.match(info, 'run_id:(%x+)')
            local vouched = redis.call('GET', KEYS[3])
            if vouched ~= run then
              redis.call('SET', KEYS[3], run)
              local hold = tonumber(ARGV[2])
              if vouched == false then
                local replid2 = string.match(redis.call('INFO', 'replication'), 'master_replid2:(%x+)')
                local up = tonumber(string.match(info, 'uptime_in_seconds:(%d+)'))
                if (replid2 == nil or string.match(replid2, '^0+$')) and up > 0 then
                  hold = hold - 1000 * (up - 1)
                end
              end
              if hold > 0 then
                redis.call('SET', KEYS[1], '', 'PX', hold)
                return {2, hold}
              end
            end
            local t = redis.call('TIME')
            local clock = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local epoch = tonumber(redis.call('GET', KEYS[2]) or '0') + 1
            if epoch < clock then
              epoch = clock
            end
            epoch = string.format('%d', epoch)
            redis.call('SET', KEYS[2], epoch)
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return {1, epoch}
            """;

    /**
     * Renews many leases in one call (issue 20: one call per renew interval for every leader of
     * a backend, not one per leader). KEYS: lease, epoch and server stamp of each election in
     * turn; ARGV: lease ms, then owner and epoch of each election in turn. Each lease that is
     * ours in this term is extended and its server stamped; the reply holds, per election in
     * order, 1 for renewed, else the holder found ('' for none). The run id is read once per call,
     * and the keys with one {@code MGET} per 100 elections (Lua's {@code unpack} is bounded by its
     * stack), so that a renewal costs the server about one command, its {@code PEXPIRE}.
     */
    static final String RENEW_ALL = """
            local run = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
            local out = {}
            local n = #KEYS / 3
            local from = 1
            while from <= n do
              local to = math.min(n, from + 99)
              local values = redis.call('MGET', unpack(KEYS, 3 * from - 2, 3 * to))
              for i = from, to do
                local v = 3 * (i - from)
                local holder = values[v + 1]
                if holder == ARGV[2 * i] and values[v + 2] == ARGV[2 * i + 1] then
                  redis.call('PEXPIRE', KEYS[3 * i - 2], ARGV[1])
                  if values[v + 3] ~= run then
                    redis.call('SET', KEYS[3 * i], run)
                  end
                  out[i] = 1
                else
                  out[i] = holder or ''
                end
              end
              from = to + 1
            end
            return out
            """;

    /** KEYS: leases. The PTTL of each, in order (-2: gone, -1: no expiry); see {@link LeaseWatch}. */
    static final String PTTL_ALL = """
            local out = {}
            for i = 1, #KEYS do
              out[i] = redis.call('PTTL', KEYS[i])
            end
            return out
            """;

    /** ARGV: owner, epoch, channel. Ours in this term → delete, tell the followers, {1}; else {0}. */
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] and redis.call('GET', KEYS[2]) == ARGV[2] then
              redis.call('DEL', KEYS[1])
              redis.call('PUBLISH', ARGV[3], 'released')
              return {1}
            end
            return {0}
            """;

    private static final String ACQUIRE_SHA = sha1(ACQUIRE);

    private static final String RENEW_ALL_SHA = sha1(RENEW_ALL);

    private static final String RELEASE_SHA = sha1(RELEASE);

    private static final String PTTL_ALL_SHA = sha1(PTTL_ALL);

    private RedisScripts() {
    }

    static CompletableFuture<List<Object>> acquire(RedisClusterAsyncCommands<String, String> commands, ElectionKeys keys,
            LeaseOwner owner, long leaseMillis) {
        return run(commands, ACQUIRE, ACQUIRE_SHA, keys, owner.value(), Long.toString(leaseMillis));
    }

    /**
     * Renews the leases of {@code leases} (in a Redis Cluster, all in one slot), each held by
     * {@code owners} in the term of {@code epochs} at the same index; see {@link #RENEW_ALL}.
     */
    static CompletableFuture<List<Object>> renewAll(RedisClusterAsyncCommands<String, String> commands,
            List<ElectionKeys> leases, List<String> owners, List<Long> epochs, long leaseMillis) {
        String[] keyArray = new String[3 * leases.size()];
        String[] args = new String[1 + 2 * leases.size()];
        args[0] = Long.toString(leaseMillis);
        for (int i = 0; i < leases.size(); i++) {
            ElectionKeys keys = leases.get(i);
            keyArray[3 * i] = keys.lease();
            keyArray[3 * i + 1] = keys.epoch();
            keyArray[3 * i + 2] = keys.server();
            args[1 + 2 * i] = owners.get(i);
            args[2 + 2 * i] = Long.toString(epochs.get(i));
        }
        return run(commands, RENEW_ALL, RENEW_ALL_SHA, keyArray, args);
    }

    /** The PTTL of each of {@code leases} (in a Redis Cluster, all in one slot); see {@link #PTTL_ALL}. */
    static CompletableFuture<List<Object>> pttlAll(RedisClusterAsyncCommands<String, String> commands, List<String> leases) {
        return run(commands, PTTL_ALL, PTTL_ALL_SHA, leases.toArray(String[]::new));
    }

    /** Whether {@code reply}, one element of a {@link #RENEW_ALL} reply, says renewed (a holder is a string, never a number). */
    static boolean renewed(Object reply) {
        return reply instanceof Number n && n.longValue() == 1;
    }

    static CompletableFuture<List<Object>> release(RedisClusterAsyncCommands<String, String> commands, ElectionKeys keys,
            LeaseOwner owner, long epoch) {
        return run(commands, RELEASE, RELEASE_SHA, keys, owner.value(), Long.toString(epoch), keys.channel());
    }

    private static CompletableFuture<List<Object>> run(RedisClusterAsyncCommands<String, String> commands, String script,
            String sha, ElectionKeys keys, String... args) {
        return run(commands, script, sha, new String[] { keys.lease(), keys.epoch(), keys.server() }, args);
    }

    private static CompletableFuture<List<Object>> run(RedisClusterAsyncCommands<String, String> commands, String script,
            String sha, String[] keyArray, String... args) {
        CompletableFuture<List<Object>> bySha = commands.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keyArray, args)
                .toCompletableFuture();
        return bySha.handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(result);
            }
            if (unwrap(error) instanceof RedisNoScriptException) {
                return commands.<List<Object>>eval(script, ScriptOutputType.MULTI, keyArray, args).toCompletableFuture();
            }
            return CompletableFuture.<List<Object>>failedFuture(unwrap(error));
        }).thenCompose(f -> f);
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static long asLong(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        return Long.parseLong(String.valueOf(value));
    }

    private static String sha1(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-1 is required of every JVM", ex);
        }
    }
}
