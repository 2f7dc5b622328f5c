package dev.leader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leader.jdbc.LeaseStatements.Version;
import org.junit.jupiter.api.Test;

/**
 * When a candidate may take over another's lease: only a version it saw unchanged for a whole
 * lease, counted from its first receipt, on its own clock (times here are given, in ns).
 */
class LeaseObservationTest {

    static final long LEASE = 2_000;

    private final LeaseObservation observation = new LeaseObservation(LEASE);

    @Test
    void aVersionSeenUnchangedForAWholeLeaseFromItsFirstReceiptMayBeTakenOver() {
        Version v = new Version(3, 10);
        observation.answered(v, LEASE, 100);
        observation.notified(v, LEASE, 900);
        observation.answered(v, LEASE, 1_500);
        assertThat(observation.takeover(2_099)).isEqualTo(Version.NONE);
        assertThat(observation.takeover(2_100)).isEqualTo(v);
        assertThat(observation.takeoverAtNanos()).isEqualTo(2_100);
    }

    @Test
    void aNewVersionStartsTheLeaseAgain() {
        observation.answered(new Version(3, 10), LEASE, 100);
        observation.notified(new Version(3, 11), LEASE, 700);
        assertThat(observation.takeover(2_100)).isEqualTo(Version.NONE);
        assertThat(observation.takeover(2_700)).isEqualTo(new Version(3, 11));
    }

    @Test
    void aNotificationThatLagsBehindAnAnswerIsIgnored() {
        observation.answered(new Version(3, 12), LEASE, 100);
        observation.notified(new Version(3, 11), LEASE, 500);
        assertThat(observation.takeover(2_100)).isEqualTo(new Version(3, 12));
    }

    @Test
    void anAnswerIsTheRowsVersionEvenWhenItIsSmaller() {
        // A row deleted by hand and created again: its versions start over.
        observation.answered(new Version(3, 12), LEASE, 100);
        observation.answered(new Version(1, 2), LEASE, 500);
        assertThat(observation.takeover(2_100)).isEqualTo(Version.NONE);
        assertThat(observation.takeover(2_500)).isEqualTo(new Version(1, 2));
    }

    @Test
    void theLongerOfOurLeaseAndTheHoldersCounts() {
        Version v = new Version(3, 10);
        observation.answered(v, 5 * LEASE, 100);
        assertThat(observation.takeover(2_100)).isEqualTo(Version.NONE);
        assertThat(observation.takeover(10_100)).isEqualTo(v);
        observation.forget();
        observation.answered(v, LEASE / 2, 100);
        assertThat(observation.takeover(2_100)).isEqualTo(v);
    }

    @Test
    void nothingWatchedIsNothingToTakeOver() {
        assertThat(observation.takeover(Long.MAX_VALUE / 2)).isEqualTo(Version.NONE);
        observation.answered(new Version(3, 10), LEASE, 100);
        observation.forget();
        assertThat(observation.takeover(Long.MAX_VALUE / 2)).isEqualTo(Version.NONE);
    }
}
