package dev.leader.redis;

/**
 * The keys and channels of one election. The election name sits in a hash tag, so that in a
 * Redis Cluster the lease and the epoch share a slot and one script can touch both.
 *
 * @param lease {@code <prefix>{<election>}}: the leader's candidate id, with PX = lease
 * @param epoch the fencing epoch, incremented by every acquire
 * @param channel where release and yield publish
 * @param keyspaceChannel the keyspace-notification channel of the lease key in {@code database}
 */
record ElectionKeys(String lease, String epoch, String channel, String keyspaceChannel) {

    static ElectionKeys of(String prefix, String election, int database) {
        String lease = prefix + "{" + election + "}";
        return new ElectionKeys(lease, lease + ":epoch", lease + ":events",
                "__keyspace@" + database + "__:" + lease);
    }
}
