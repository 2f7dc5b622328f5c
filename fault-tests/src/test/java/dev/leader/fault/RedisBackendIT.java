package dev.leader.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis backend's forgetful restarts: a server brought back from an old snapshot, or from
 * nothing, must keep taking checkpoints of what it holds afterwards (Redis 7 refuses to change
 * {@code dbfilename} at run time, so a start under another file name kept writing there).
 */
class RedisBackendIT {

    @TempDir
    Path work;

    @Test
    void checkpointsAfterAForgetfulRestartHoldWhatTheServerHoldsThen() throws Exception {
        try (Lab lab = Lab.create(1, false); RedisBackend backend = RedisBackend.start(lab, work)) {
            backend.restartForgetting(false);
            for (int value = 1; value <= 3; value++) {
                backend.server().cli("SET", "epoch", Integer.toString(value));
                backend.checkpoint();
            }

            backend.restartForgetting(true);
            assertThat(backend.server().cli("GET", "epoch")).as("the oldest of the last checkpoints").isEqualTo("1");

            backend.server().cli("SET", "epoch", "4");
            backend.crash();
            backend.recover();
            assertThat(backend.server().cli("GET", "epoch")).as("durable again after the forgetful restart").isEqualTo("4");
        }
    }
}
