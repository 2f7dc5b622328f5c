package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

import dev.leader.autoconfigure.BackendType;

/**
 * How the harness measures one backend (or anchor library): start its server for a run, and
 * campaign against a server address inside a candidate JVM. Adding a backend to the
 * benchmarks is one implementation of this, listed in {@link BenchBackends}.
 */
public interface BenchBackend {

    /** Our backend this measures; for an anchor library, the backend of ours it is compared with. */
    BackendType backend();

    /**
     * The name on the command line ({@code --backends}), in the tables and the logs: the backend's
     * {@link BackendType#id()}; an anchor library names itself.
     */
    default String type() {
        return backend().id();
    }

    /** Another project's election or lock, measured on the same kind of server as {@link #backend()} to compare. */
    default boolean anchor() {
        return !type().equals(backend().id());
    }

    /** Starts what the backend needs for one run (a server on a free loopback port, a directory). */
    BenchServer start(Path workDir) throws IOException;

    /** Called in a candidate JVM: campaigns against {@code address} with this lease. */
    Contenders connect(String address, Duration lease);

    /** The lease failover waits for after a crash; zero when the OS releases at once (local). */
    Duration lease(Duration requested);

    /**
     * How long a candidate that just (re-)joined needs before it is queued like the others; the
     * hand-off rounds wait at least this long (and at least {@link Handoff#PACE}) between rounds.
     */
    default Duration rejoin(Duration lease) {
        return Duration.ZERO;
    }

    /** A running server (or none) for one run. */
    interface BenchServer extends AutoCloseable {

        /** What candidates pass to {@link BenchBackend#connect}. */
        String address();

        /** Server version and settings, for RESULTS.md. */
        String description();

        /**
         * Requests the server has handled so far, by its own statistics (Redis command stats,
         * ZooKeeper {@code mntr}); -1 when there is no server to ask.
         */
        default long requestsServed() {
            return -1;
        }

        /** The ZooKeeper server of this run, whose {@code mntr} and {@code wchs} the herd measurement reads; empty for other servers. */
        default Optional<ZooKeeperServers.Server> zooKeeper() {
            return Optional.empty();
        }

        @Override
        void close();

        /** A server described by its parts; {@code requestsServed} answers -1 when it has no statistics. */
        static BenchServer of(String address, String description, LongSupplier requestsServed, Runnable close) {
            return new BenchServer() {
                @Override
                public String address() {
                    return address;
                }

                @Override
                public String description() {
                    return description;
                }

                @Override
                public long requestsServed() {
                    return requestsServed.getAsLong();
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }
}
