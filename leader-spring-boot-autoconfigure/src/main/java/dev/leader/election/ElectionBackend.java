package dev.leader.election;

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

    /** Closes every election made by this backend, then the connection. */
    @Override
    void close();
}
