package dev.leader.redis;

import java.util.ArrayList;
import java.util.List;
import dev.leader.election.InvalidSettingException;
import io.lettuce.core.RedisURI;

/**
 * Parses {@code leader.redis.url}. Lettuce's own syntax covers standalone, TLS, Sentinel,
 * password and database; a Cluster is several comma-separated URLs or {@code redis-cluster://}.
 */
final class RedisUrls {

    static final String CLUSTER_SCHEME = "redis-cluster://";

    private static final String ALLOWED = "redis://[user:password@]host:port[/database], rediss://… for TLS,"
            + " redis-sentinel://host:port[,host:port]/database#master, or redis-cluster://host:port[,host:port]";

    private RedisUrls() {
    }

    static boolean isCluster(String url) {
        String trimmed = url.trim();
        return trimmed.startsWith(CLUSTER_SCHEME) || (trimmed.contains(",") && !trimmed.startsWith("redis-sentinel"));
    }

    static List<RedisURI> parse(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidSettingException("leader.redis.url", url, ALLOWED);
        }
        String trimmed = url.trim();
        List<String> parts = new ArrayList<>();
        if (trimmed.startsWith(CLUSTER_SCHEME)) {
            for (String node : trimmed.substring(CLUSTER_SCHEME.length()).split(",")) {
                parts.add("redis://" + node.trim());
            }
        }
        else if (isCluster(trimmed)) {
            for (String node : trimmed.split(",")) {
                parts.add(node.trim());
            }
        }
        else {
            parts.add(trimmed);
        }
        List<RedisURI> uris = new ArrayList<>();
        for (String part : parts) {
            try {
                uris.add(RedisURI.create(part));
            }
            catch (RuntimeException ex) {
                throw new InvalidSettingException("leader.redis.url", redact(url.trim()), ALLOWED + " (" + ex.getMessage() + ")");
            }
        }
        return uris;
    }

    private static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
