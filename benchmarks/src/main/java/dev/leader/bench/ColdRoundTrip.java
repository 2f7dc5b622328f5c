package dev.leader.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * How much of a Redis round trip in a hand-off is code the JIT has not compiled yet: one
 * {@code EVALSHA} through Lettuce on loopback, in a fresh JVM, 100 ms apart (as a hand-off's
 * acquire comes after a quiet moment), then the same after 20,000 calls, then back to back.
 * Prints the medians.
 *
 * <pre>
 * java -cp "classes:$(cat runtime-classpath.txt)" dev.leader.bench.ColdRoundTrip
 * </pre>
 */
public final class ColdRoundTrip {

    private static final String[] KEYS = { "cold-round-trip" };

    private ColdRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        try (RedisServers.Server server = RedisServers.start()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisAsyncCommands<String, String> commands = connection.async();
                String sha = connection.sync().scriptLoad("return redis.call('SET', KEYS[1], ARGV[1], 'PX', 1000)");
                System.out.println(server.version() + ", Lettuce EVALSHA, loopback:");
                measure(commands, sha, "first calls of the JVM, 100 ms apart", 40, 100);
                for (int i = 0; i < 20_000; i++) {
                    call(commands, sha);
                }
                measure(commands, sha, "after 20,000 calls, 100 ms apart", 40, 100);
                measure(commands, sha, "after 20,000 calls, back to back", 2_000, 0);
            }
            finally {
                client.shutdown();
            }
        }
    }

    private static void measure(RedisAsyncCommands<String, String> commands, String sha, String what, int calls, long gapMillis)
            throws Exception {
        double[] millis = new double[calls];
        for (int i = 0; i < calls; i++) {
            if (gapMillis > 0) {
                // The gap is the point: the process is idle before each call, as before a hand-off.
                TimeUnit.MILLISECONDS.sleep(gapMillis);
            }
            long start = System.nanoTime();
            call(commands, sha);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf("  %s: p50 %.3f ms, p90 %.3f ms (%d calls)%n", what, millis[calls / 2], millis[calls * 9 / 10], calls);
    }

    private static void call(RedisAsyncCommands<String, String> commands, String sha) throws Exception {
        commands.evalsha(sha, ScriptOutputType.STATUS, KEYS, "v").get(5, TimeUnit.SECONDS);
    }
}
