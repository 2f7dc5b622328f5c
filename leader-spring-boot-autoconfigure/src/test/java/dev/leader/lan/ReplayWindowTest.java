package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays are refused by sequence within a known incarnation and by timestamp only at first
 * contact, so that a wall-clock jump of a running peer changes nothing (found by the fault suite:
 * a leader whose clock jumped an hour lost its term because every peer refused its heartbeats).
 */
class ReplayWindowTest {

    private static final long HOUR_MILLIS = 3_600_000L;

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final ReplayWindow window = new ReplayWindow(Duration.ofSeconds(30));

    @Test
    void knownIncarnationIsAcceptedAfterItsClockJumped() {
        long wall = 1_800_000_000_000L;
        assertThat(window.check(message(7, 1, wall), wall, 0)).isNull();
        assertThat(window.check(message(7, 2, wall + HOUR_MILLIS), wall + 1000, SECOND_NANOS)).isNull();
        assertThat(window.check(message(7, 3, wall - HOUR_MILLIS), wall + 2000, 2 * SECOND_NANOS)).isNull();
    }

    @Test
    void knownIncarnationIsAcceptedAfterOurClockJumped() {
        long wall = 1_800_000_000_000L;
        assertThat(window.check(message(7, 1, wall), wall, 0)).isNull();
        assertThat(window.check(message(7, 2, wall + 1000), wall + 5 * HOUR_MILLIS, SECOND_NANOS)).isNull();
    }

    @Test
    void repeatedSequenceIsRefusedWhateverItsTimestamp() {
        long wall = 1_800_000_000_000L;
        assertThat(window.check(message(7, 5, wall), wall, 0)).isNull();
        assertThat(window.check(message(7, 5, wall), wall, SECOND_NANOS)).isEqualTo(MessageSigner.Rejection.REPLAYED);
        assertThat(window.check(message(7, 4, wall + 1), wall, SECOND_NANOS)).isEqualTo(MessageSigner.Rejection.REPLAYED);
    }

    @Test
    void unknownIncarnationOutsideTheWindowIsRefusedAsStale() {
        long wall = 1_800_000_000_000L;
        assertThat(window.check(message(9, 1, wall - HOUR_MILLIS), wall, 0)).isEqualTo(MessageSigner.Rejection.STALE);
    }

    @Test
    void incarnationSilentForTwoWindowsIsForgottenAndMustBeFreshAgain() {
        long wall = 1_800_000_000_000L;
        assertThat(window.check(message(7, 1, wall), wall, 0)).isNull();
        long later = 61 * SECOND_NANOS;
        // A recording of an old message, replayed once the incarnation is forgotten: refused by its timestamp.
        assertThat(window.check(message(7, 2, wall), wall + 61_000, later)).isEqualTo(MessageSigner.Rejection.STALE);
        assertThat(window.check(message(7, 3, wall + 61_000), wall + 61_000, later)).isNull();
    }

    @Test
    void beyondTheLimitTheIncarnationHeardFromLongestAgoIsForgotten() {
        long wall = 1_800_000_000_000L;
        assertThat(window.check(message(1, 5, wall), wall, 0)).isNull();
        for (long made = 2; made <= ReplayWindow.MAX_INCARNATIONS; made++) {
            assertThat(window.check(message(made, 1, wall), wall, made)).isNull();
        }
        // Incarnation 1 is the one heard from longest ago, unless heard again: it stays.
        assertThat(window.check(message(1, 6, wall), wall, SECOND_NANOS)).isNull();
        assertThat(window.check(message(-1, 1, wall), wall, SECOND_NANOS)).isNull();
        assertThat(window.size()).isEqualTo(ReplayWindow.MAX_INCARNATIONS);
        assertThat(window.check(message(1, 6, wall), wall, SECOND_NANOS)).isEqualTo(MessageSigner.Rejection.REPLAYED);
        // Incarnation 2 was forgotten: a message of it passes the timestamp check again.
        assertThat(window.check(message(2, 1, wall), wall, SECOND_NANOS)).isNull();
    }

    private static LanDatagram message(long incarnation, long sequence, long timestampMillis) {
        return LanDatagram.of(new LanMessage(LanMessage.Type.HEARTBEAT, 0, "group", "election", "peer", incarnation, sequence, timestampMillis,
                1, null, 0, 0, 0, List.of()));
    }
}
