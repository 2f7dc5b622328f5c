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
 * The three Lua scripts of a term. Each compares the owner (candidate id) and, for renew and
 * release, the term's epoch before it touches the lease, so a stale leader's late command
 * cannot extend or delete a lease that is no longer its own, even one that the same candidate
 * re-acquired in a later term. Scripts run by SHA; a server that does not know one (restarted,
 * {@code SCRIPT FLUSH}) gets the full text once, which also caches it again.
 *
 * <p>Keys: {@code KEYS[1]} the lease, {@code KEYS[2]} the epoch; both carry the same hash tag.
 */
final class RedisScripts {

    /**
     * ARGV: id, lease ms. Free or already ours (a lost reply of our own acquire): a new epoch and
     * the lease → {1, epoch}. (The seed is built as a string: Lua's numbers are doubles and
     * would print in exponent form.) Held by another → {0, pttl, holder}. A missing epoch (a restart
     * without persistence) is seeded from the server clock in microseconds, so that tokens keep
     * increasing as long as that clock does.
     */
    static final String ACQUIRE = """
            local holder = redis.call('GET', KEYS[1])
            if holder == false or holder == ARGV[1] then
              local epoch = redis.call('INCR', KEYS[2])
              if epoch == 1 then
                local t = redis.call('TIME')
                epoch = t[1] .. string.format('%06d', tonumber(t[2]))
                redis.call('SET', KEYS[2], epoch)
              end
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return {1, epoch}
            end
            return {0, redis.call('PTTL', KEYS[1]), holder}
            """;

    /** ARGV: id, epoch, lease ms. Ours in this term → {1}; else {0, holder or ''}. */
    static final String RENEW = """
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] and redis.call('GET', KEYS[2]) == ARGV[2] then
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              return {1}
            end
            return {0, holder or ''}
            """;

    /** ARGV: id, epoch, channel. Ours in this term → delete, tell the followers, {1}; else {0}. */
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] and redis.call('GET', KEYS[2]) == ARGV[2] then
              redis.call('DEL', KEYS[1])
              redis.call('PUBLISH', ARGV[3], 'released')
              return {1}
            end
            return {0}
            """;

    private static final String ACQUIRE_SHA = sha1(ACQUIRE);

    private static final String RENEW_SHA = sha1(RENEW);

    private static final String RELEASE_SHA = sha1(RELEASE);

    private RedisScripts() {
    }

    static CompletableFuture<List<Object>> acquire(RedisClusterAsyncCommands<String, String> commands, ElectionKeys keys,
            String candidateId, long leaseMillis) {
        return run(commands, ACQUIRE, ACQUIRE_SHA, keys, candidateId, Long.toString(leaseMillis));
    }

    static CompletableFuture<List<Object>> renew(RedisClusterAsyncCommands<String, String> commands, ElectionKeys keys,
            String candidateId, long epoch, long leaseMillis) {
        return run(commands, RENEW, RENEW_SHA, keys, candidateId, Long.toString(epoch), Long.toString(leaseMillis));
    }

    static CompletableFuture<List<Object>> release(RedisClusterAsyncCommands<String, String> commands, ElectionKeys keys,
            String candidateId, long epoch) {
        return run(commands, RELEASE, RELEASE_SHA, keys, candidateId, Long.toString(epoch), keys.channel());
    }

    private static CompletableFuture<List<Object>> run(RedisClusterAsyncCommands<String, String> commands, String script,
            String sha, ElectionKeys keys, String... args) {
        String[] keyArray = { keys.lease(), keys.epoch() };
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
