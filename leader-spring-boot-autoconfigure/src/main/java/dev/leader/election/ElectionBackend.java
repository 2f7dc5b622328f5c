package dev.leader.election;

import java.time.Duration;

/**
 * A connection to one coordination service, shared by all elections of a process.
 */
public interface ElectionBackend extends AutoCloseable {

    /** {@code local}, {@code zookeeper}, {@code redis}, {@code etcd} or {@code lan}. */
    String type();

    /** A new, not yet started election for this candidate. */
    Election election(String name, String candidateId);

    /** The cached state of the connection; never makes a network round trip. */
    BackendStatus status();

    /**
     * The lease this backend really uses: how long a dead leader may hold an election before
     * another candidate can take over (the negotiated ZooKeeper session timeout, the etcd TTL in
     * whole seconds, ...). Health and the endpoint report it; {@link LeaseDeadline#UNBOUNDED}
     * for a hold that lasts as long as the process (the local file lock).
     */
    Duration lease();

    /** Closes every election made by this backend, then the connection. */
    @Override
    void close();
}
