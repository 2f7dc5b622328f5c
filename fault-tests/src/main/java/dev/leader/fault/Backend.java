package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import dev.leader.testsupport.ServerProcess;

/**
 * A real coordination backend the apps elect on, its servers (started by test-support's
 * starters in the lab's hub), and the faults it can suffer.
 */
interface Backend extends AutoCloseable {

    String name();

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
        throw new UnsupportedOperationException(name() + " has no server");
    }

    /** Starts every server that is down again, on its old data, and waits until it accepts. */
    default void recover() throws IOException {
        throw new UnsupportedOperationException(name() + " has no server");
    }

    /** SIGKILL of a majority of the members; {@link #recover()} heals it. */
    default void loseQuorum(Random random) throws IOException {
        throw new UnsupportedOperationException(name() + " has no quorum");
    }

    /**
     * SIGSTOP of one server: the only one, or a member (its current leader half the time, when the
     * backend can tell), with every process it forked. The caller resumes what this returns.
     */
    default ServerProcess pauseServer(Random random) throws IOException {
        throw new UnsupportedOperationException(name() + " has no server");
    }

    /** Remembers the server's data as it is now, for a later {@link #restartForgetting(boolean)}. */
    default void checkpoint() throws IOException {
    }

    /**
     * SIGKILL of the server, then a start that lost data: from a checkpoint a few faults old, or
     * from nothing; the server is durable again afterwards.
     */
    default void restartForgetting(boolean fromOldCheckpoint) throws IOException {
        throw new UnsupportedOperationException(name() + " cannot forget");
    }

    /** Moves the servers' wall clock by an offset ("+7200", "-3600"); "+0" puts it back. */
    default void setServerClock(String offset) throws IOException {
        throw new UnsupportedOperationException(name() + " has no server clock to move");
    }

    @Override
    default void close() {
    }

    /** The backend {@code name}, its servers started and accepting clients; their logs go to {@code work}. */
    static Backend create(String name, Lab lab, Path work, Duration lease) throws IOException {
        return switch (name) {
            case "local" -> new Simple(name, List.of("--leader.backend=local", "--leader.local.directory=" + work.resolve("locks")),
                    EnumSet.of(FaultKind.SIGTERM_LEADER, FaultKind.KILL_LEADER, FaultKind.PAUSE_LEADER, FaultKind.CLOCK_JUMP,
                            FaultKind.DUPLICATE_ID));
            case "lan" -> new Simple(name, List.of("--leader.backend=lan", "--leader.lan.interface=" + lab.appInterface(),
                    "--leader.lan.secret=fault-suite-secret", "--leader.lan.quorum=3",
                    "--leader.lan.port=" + (20_000 + new Random().nextInt(20_000))),
                    EnumSet.of(FaultKind.SIGTERM_LEADER, FaultKind.KILL_LEADER, FaultKind.PAUSE_LEADER, FaultKind.NETWORK_CUT,
                            FaultKind.CLOCK_JUMP, FaultKind.DUPLICATE_ID, FaultKind.ONE_WAY_LOSS));
            case "redis" -> RedisBackend.start(lab, work);
            case "zookeeper" -> ZooKeeperBackend.start(lab, work);
            case "etcd" -> EtcdBackend.start(lab, work);
            case "jdbc" -> PostgresBackend.start(lab, work);
            default -> throw new IllegalArgumentException("unknown backend " + name + ": " + String.join(", ", FaultSuite.BACKENDS));
        };
    }

    /** A backend without servers: the local file lock, or LAN peers. */
    record Simple(String name, List<String> appArguments, Set<FaultKind> faults) implements Backend {

        @Override
        public boolean leased() {
            return !name.equals("local");
        }
    }
}
