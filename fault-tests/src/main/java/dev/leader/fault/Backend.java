package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import dev.leader.autoconfigure.BackendType;
import dev.leader.testsupport.ServerProcess;

/**
 * A real coordination backend the apps elect on, its servers (started by test-support's
 * starters in the lab's hub), and the faults it can suffer.
 */
interface Backend extends AutoCloseable {

    BackendType type();

    /** The fault-app arguments that select this backend. */
    List<String> appArguments();

    /** The fault kinds that mean something here (the lab may still rule out network cuts). */
    Set<FaultKind> faults();

    /** Whether terms end by a lease (all but the local file lock, which the kernel holds for a paused process). */
    default boolean leased() {
        return true;
    }

    /** SIGKILL of every server. */
    default void crash() throws IOException {
        throw new UnsupportedOperationException(type().id() + " has no server");
    }

    /** Starts every server that is down again, on its old data, and waits until it accepts. */
    default void recover() throws IOException {
        throw new UnsupportedOperationException(type().id() + " has no server");
    }

    /** SIGKILL of a majority of the members; {@link #recover()} heals it. */
    default void loseQuorum(Random random) throws IOException {
        throw new UnsupportedOperationException(type().id() + " has no quorum");
    }

    /**
     * SIGSTOP of one server: the only one, or a member (its current leader half the time, when the
     * backend can tell), with every process it forked. The caller resumes what this returns.
     */
    default ServerProcess pauseServer(Random random) throws IOException {
        throw new UnsupportedOperationException(type().id() + " has no server");
    }

    /** Remembers the server's data as it is now, for a later {@link #restartForgetting(boolean)}. */
    default void checkpoint() throws IOException {
    }

    /**
     * SIGKILL of the server, then a start that lost data: from a checkpoint a few faults old, or
     * from nothing; the server is durable again afterwards.
     */
    default void restartForgetting(boolean fromOldCheckpoint) throws IOException {
        throw new UnsupportedOperationException(type().id() + " cannot forget");
    }

    /** Moves the servers' wall clock by an offset ("+7200", "-3600"); "+0" puts it back. */
    default void setServerClock(String offset) throws IOException {
        throw new UnsupportedOperationException(type().id() + " has no server clock to move");
    }

    @Override
    default void close() {
    }

    /**
     * The backend {@code type}, its servers started and accepting clients; their logs go to {@code work}. No default:
     * a new {@link BackendType} does not compile here until the suite knows how to start it.
     */
    static Backend create(BackendType type, Lab lab, Path work, Duration lease) throws IOException {
        return switch (type) {
            case LOCAL -> new Simple(type, List.of("--leader.backend=" + type.id(), "--leader.local.directory=" + work.resolve("locks")),
                    EnumSet.of(FaultKind.SIGTERM_LEADER, FaultKind.KILL_LEADER, FaultKind.PAUSE_LEADER, FaultKind.CLOCK_JUMP,
                            FaultKind.DUPLICATE_ID, FaultKind.TWO_ELECTIONS));
            case LAN -> new Simple(type, List.of("--leader.backend=" + type.id(), "--leader.lan.interface=" + lab.appInterface(),
                    "--leader.lan.secret=fault-suite-secret", "--leader.lan.quorum=3",
                    "--leader.lan.port=" + (20_000 + new Random().nextInt(20_000))),
                    EnumSet.of(FaultKind.SIGTERM_LEADER, FaultKind.KILL_LEADER, FaultKind.PAUSE_LEADER, FaultKind.NETWORK_CUT,
                            FaultKind.CLOCK_JUMP, FaultKind.DUPLICATE_ID, FaultKind.ONE_WAY_LOSS));
            case REDIS -> RedisBackend.start(lab, work);
            case ZOOKEEPER -> ZooKeeperBackend.start(lab, work);
            case ETCD -> EtcdBackend.start(lab, work);
            case JDBC -> PostgresBackend.start(lab, work);
        };
    }

    /** A backend without servers: the local file lock, or LAN peers. */
    record Simple(BackendType type, List<String> appArguments, Set<FaultKind> faults) implements Backend {

        @Override
        public boolean leased() {
            return type != BackendType.LOCAL;
        }
    }
}
