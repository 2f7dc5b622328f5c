package dev.leader.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The deadline runs from the send time of the last confirmed renewal, and never comes back once passed. */
class LeaseDeadlineTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * MS);

    private final LeaseDeadline deadline = LeaseDeadline.of(Duration.ofSeconds(2), Duration.ofMillis(200), now::get);

    @Test
    void deadlineIsSendTimePlusLeaseMinusMargin() {
        assertThat(deadline.confirm(1_000 * MS)).isEqualTo(2_800 * MS);
        now.set(2_799 * MS);
        assertThat(deadline.isValid()).isTrue();
        now.set(2_800 * MS);
        assertThat(deadline.isValid()).isFalse();
    }

    @Test
    void lateConfirmationOfAnOlderRenewalNeverMovesTheDeadlineBack() {
        deadline.confirm(1_500 * MS);
        assertThat(deadline.confirm(1_100 * MS)).isEqualTo(3_300 * MS);
    }

    @Test
    void confirmationAfterTheDeadlinePassedDoesNotReviveTheTerm() {
        deadline.confirm(1_000 * MS);
        // Paused past the deadline; on waking, a renewal sent just now is confirmed at once.
        now.set(5_000 * MS);
        deadline.confirm(5_000 * MS);
        assertThat(deadline.isValid()).isFalse();
        assertThat(deadline.remaining()).isZero();
    }

    @Test
    void nextTermStartsAfresh() {
        deadline.confirm(1_000 * MS);
        now.set(5_000 * MS);
        deadline.clear();
        deadline.confirm(5_000 * MS);
        assertThat(deadline.isValid()).isTrue();
    }

    @Test
    void runsLateOnceLessThanAThirdOfTheBeliefIsLeft() {
        assertThat(deadline.isRunningLate()).as("no term").isFalse();
        deadline.confirm(1_000 * MS); // deadline 2,800; belief 1,800, a third 600
        now.set(1_667 * MS + 500 * MS); // a renewal due at 1,667 answered 500 ms later: 633 ms left
        assertThat(deadline.isRunningLate()).isFalse();
        now.set(2_201 * MS);
        assertThat(deadline.isRunningLate()).isTrue();
        assertThat(LeaseDeadline.unbounded().isRunningLate()).as("a lease without end").isFalse();
    }
}
