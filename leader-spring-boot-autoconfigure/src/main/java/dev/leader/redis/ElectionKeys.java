package dev.leader.redis;

import java.util.List;

/**
 * The keys and channels of one election. The election name sits in a hash tag, so that in a
 * Redis Cluster the lease, the epoch and the server stamp share a slot and one script can touch
 * all three.
 *
 * @param lease {@code <prefix>{<election>}}: the leader's {@link LeaseOwner}, with PX = lease
 * @param epoch the fencing epoch, raised by every acquire
 * @param server the run id of the Redis process that vouches for the lease and the epoch: the
 *        one that last granted or renewed a lease of this election. Another run id, or none, means
 *        that they were restored, replicated or lost (a restart, a failover), see {@link RedisScripts}
 * @param channel where release and yield publish
 * @param keyspaceChannel the keyspace-notification channel of the lease key in {@code database}
 */
record ElectionKeys(String lease, String epoch, String server, String channel, String keyspaceChannel) {

    static ElectionKeys of(String prefix, String election, int database) {
        String lease = prefix + "{" + election + "}";
        return new ElectionKeys(lease, lease + ":epoch", lease + ":server", lease + ":events",
                "__keyspace@" + database + "__:" + lease);
    }

    /**
     * The two patterns that match the {@link #channel} and the {@link #keyspaceChannel} of every
     * election under {@code prefix}: a backend subscribes them once (issue 20) instead of two
     * channels per election, and hands each message to the elections of its channel. They also
     * match other applications' elections under the same prefix, whose messages find no listener.
     */
    static List<String> patterns(String prefix, int database) {
        String each = globEscaped(prefix) + "{*}";
        return List.of(each + ":events", "__keyspace@" + database + "__:" + each);
    }

    /** {@code text} with Redis glob's special characters escaped, so that it matches only itself. */
    static String globEscaped(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
