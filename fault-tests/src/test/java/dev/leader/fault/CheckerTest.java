package dev.leader.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker catches each kind of violation from report lines as the fault app writes them. */
class CheckerTest {

    private static final long MS = 1_000_000L;

    @TempDir
    Path work;

    private final Checker checker = new Checker(Duration.ofSeconds(1), List.of());

    @Test
    void cleanHandOffHasNoViolation() throws IOException {
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=1000000
                believes candidate=a token=1 at=1000001
                ran candidate=a token=1 start=1000002 end=1200000000
                believes candidate=a token=1 at=1300000000
                revoked candidate=a token=1 reason=CLOSED at=1300000001
                granted candidate=b token=2 at=1300000005
                believes candidate=b token=2 at=1300000006
                ran candidate=b token=2 start=1400000000 end=1600000000
                """);
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.executions()).isEqualTo(2);
    }

    @Test
    void overlappingRunsAreFound() throws IOException {
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                granted candidate=b token=2 at=%d
                ran candidate=a token=1 start=%d end=%d
                ran candidate=b token=2 start=%d end=%d
                """.formatted(150 * MS, 10 * MS, 200 * MS, 190 * MS, 400 * MS));
        assertThat(verdict.overlaps()).isEqualTo(1);
        assertThat(verdict.doubleBeliefs()).isEqualTo(1);
    }

    @Test
    void runsOfDifferentKindsMayOverlapButRunsOfOneKindMayNot() throws IOException {
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                granted candidate=b token=2 at=%d
                ran job=scheduled candidate=a token=1 start=%d end=%d
                ran job=async candidate=a token=1 start=%d end=%d
                ran job=lifecycle candidate=a token=1 start=%d end=%d
                ran job=lifecycle candidate=b token=2 start=%d end=%d
                """.formatted(500 * MS, 10 * MS, 200 * MS, 20 * MS, 320 * MS, 300 * MS, 600 * MS, 550 * MS, 650 * MS));
        assertThat(verdict.of(WorkKind.SCHEDULED).overlaps()).isZero();
        assertThat(verdict.of(WorkKind.ASYNC).overlaps()).isZero();
        assertThat(verdict.of(WorkKind.LIFECYCLE).overlaps()).isEqualTo(1);
        assertThat(verdict.of(WorkKind.LIFECYCLE).executions()).isEqualTo(2);
        assertThat(verdict.doubleBeliefs()).isEqualTo(1);
    }

    @Test
    void runsOfOneTermMayOverlap() throws IOException {
        // A fixed-rate schedule catching up after a pause calls the asynchronous job again before the last call completed.
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                ran job=async candidate=a token=1 start=%d end=%d
                ran job=async candidate=a token=1 start=%d end=%d
                """.formatted(10 * MS, 310 * MS, 200 * MS, 500 * MS));
        assertThat(verdict.violations()).isEmpty();
    }

    @Test
    void anAsyncRunUnderAnOlderTokenAfterANewerOneIsARegressionOfItsKind() throws IOException {
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                granted candidate=b token=2 at=%d
                ran job=async candidate=b token=2 start=%d end=%d
                ran job=async candidate=a token=1 start=%d end=%d
                abandoned job=lifecycle candidate=a token=1 start=%d end=%d
                """.formatted(100 * MS, 150 * MS, 450 * MS, 500 * MS, 800 * MS, 500 * MS, 600 * MS));
        assertThat(verdict.of(WorkKind.ASYNC).tokenRegressions()).isEqualTo(1);
        assertThat(verdict.of(WorkKind.SCHEDULED).tokenRegressions()).isZero();
        assertThat(verdict.of(WorkKind.LIFECYCLE).abandoned()).isEqualTo(1);
        assertThat(verdict.of(WorkKind.LIFECYCLE).tokenRegressions()).as("abandoned work is not checked for order").isZero();
    }

    @Test
    void lifecycleUnitsHaveNoTicksToLose() throws IOException {
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                ran job=lifecycle candidate=a token=1 start=%d end=%d
                ran job=lifecycle candidate=a token=1 start=%d end=%d
                ran job=async candidate=a token=1 start=%d end=%d
                ran job=async candidate=a token=1 start=%d end=%d
                """.formatted(1000 * MS, 1100 * MS, 4000 * MS, 4100 * MS, 1000 * MS, 1300 * MS, 4000 * MS, 4300 * MS));
        assertThat(verdict.lostTicks()).as("the async job's two lost ticks only").isEqualTo(2);
    }

    @Test
    void aRunUnderAnOlderTokenAfterANewerOneIsARegression() throws IOException {
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                granted candidate=b token=2 at=%d
                ran candidate=b token=2 start=%d end=%d
                ran candidate=a token=1 start=%d end=%d
                """.formatted(100 * MS, 150 * MS, 300 * MS, 400 * MS, 600 * MS));
        assertThat(verdict.tokenRegressions()).isEqualTo(1);
        assertThat(verdict.overlaps()).isZero();
        assertThat(verdict.doubleBeliefs()).isEqualTo(1);
    }

    @Test
    void aRunPausedBeforeItsWriteReachesTheStoreLateAndIsFencedNotARegression() throws IOException {
        // a ran and stopped believing before b was granted, but its write was held up (SIGSTOP,
        // a starved JVM) until after b's: a fenced store refuses it; the election did nothing wrong.
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                granted candidate=b token=2 at=%d
                ran candidate=b token=2 start=%d end=%d
                ran candidate=a token=1 start=%d end=%d
                """.formatted(300 * MS, 400 * MS, 500 * MS, 10 * MS, 200 * MS));
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.fencedWrites()).isEqualTo(1);
    }

    @Test
    void aPausedLeaderThatStillBelievesAfterItsSuccessorWasGrantedIsFound() throws IOException {
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                granted candidate=b token=2 at=%d
                believes candidate=b token=2 at=%d
                believes candidate=a token=1 at=%d
                """.formatted(3000 * MS, 3001 * MS, 5000 * MS));
        assertThat(verdict.doubleBeliefs()).isEqualTo(1);
    }

    @Test
    void aTokenGrantedTwiceOrUsedByAnotherCandidateIsFound() throws IOException {
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                granted candidate=b token=1 at=%d
                ran candidate=c token=1 start=%d end=%d
                """.formatted(3000 * MS, 4000 * MS, 4200 * MS));
        assertThat(verdict.tokenRegressions()).isEqualTo(3);
    }

    @Test
    void aTermThatSkippedTicksLostThem() throws IOException {
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                ran candidate=a token=1 start=%d end=%d
                ran candidate=a token=1 start=%d end=%d
                """.formatted(1000 * MS, 1200 * MS, 4000 * MS, 4200 * MS));
        assertThat(verdict.lostTicks()).isEqualTo(2);
    }

    @Test
    void ticksPlannedDuringAFaultAreNotExpected() throws IOException {
        String lines = """
                granted candidate=a token=1 at=0
                ran candidate=a token=1 start=%d end=%d
                ran candidate=a token=1 start=%d end=%d
                """.formatted(1000 * MS, 1200 * MS, 4000 * MS, 4200 * MS);
        Path report = Files.writeString(work.resolve("report.txt"), lines);
        Journal journal = new Journal(report);
        journal.refresh();
        Checker paused = new Checker(Duration.ofSeconds(1), List.of(new Checker.Window(1500 * MS, 3500 * MS)));
        assertThat(paused.check(journal).lostTicks()).isZero();
    }

    @Test
    void longestLeaderlessTimeSpansTheGapBetweenSignsOfAnyLeader() throws IOException {
        Checker.Verdict verdict = check("""
                granted candidate=a token=1 at=0
                believes candidate=a token=1 at=%d
                granted candidate=b token=2 at=%d
                """.formatted(100 * MS, 2600 * MS));
        assertThat(verdict.longestLeaderless()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void twoElectionsLedAtOnceByDifferentAppsAreCheckedEachOnItsOwn() throws IOException {
        // Tokens belong to one election: b's token 200 in fault-b between a's 100 and 300 in fault is no regression,
        // and a leading fault while b leads fault-b is no double belief.
        Checker.Verdict verdict = check("""
                granted election=fault candidate=a token=100 at=0
                granted election=fault-b candidate=b token=200 at=%d
                believes election=fault candidate=a token=100 at=%d
                believes election=fault-b candidate=b token=200 at=%d
                ran job=scheduled election=fault candidate=a token=100 start=%d end=%d
                ran job=scheduled election=fault-b candidate=b token=200 start=%d end=%d
                revoked election=fault candidate=a token=100 reason=CLOSED at=%d
                granted election=fault candidate=c token=300 at=%d
                ran job=scheduled election=fault candidate=c token=300 start=%d end=%d
                ran job=scheduled election=fault-b candidate=b token=200 start=%d end=%d
                """.formatted(10 * MS, 20 * MS, 30 * MS, 1000 * MS, 1200 * MS, 1010 * MS, 1210 * MS, 1300 * MS, 1400 * MS,
                2000 * MS, 2200 * MS, 2010 * MS, 2210 * MS));
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.of(WorkKind.SCHEDULED).executions()).isEqualTo(4);
    }

    @Test
    void aDoubleBeliefOrAnOverlapInTheSecondElectionIsFound() throws IOException {
        Checker.Verdict verdict = check("""
                granted election=fault candidate=a token=1 at=0
                granted election=fault-b candidate=b token=1 at=0
                granted election=fault-b candidate=a token=2 at=%d
                ran job=scheduled election=fault-b candidate=b token=1 start=%d end=%d
                ran job=scheduled election=fault-b candidate=a token=2 start=%d end=%d
                believes election=fault-b candidate=b token=1 at=%d
                """.formatted(100 * MS, 50 * MS, 250 * MS, 200 * MS, 400 * MS, 300 * MS));
        assertThat(verdict.doubleBeliefs()).isEqualTo(1);
        assertThat(verdict.of(WorkKind.SCHEDULED).overlaps()).isEqualTo(1);
        assertThat(verdict.violations()).allMatch(v -> v.startsWith("election fault-b: "));
    }

    @Test
    void aTokenGrantedTwiceInTheSecondElectionIsFound() throws IOException {
        Checker.Verdict verdict = check("""
                granted election=fault candidate=a token=5 at=0
                granted election=fault-b candidate=b token=5 at=%d
                granted election=fault-b candidate=c token=4 at=%d
                """.formatted(100 * MS, 200 * MS));
        assertThat(verdict.grantRegressions()).as("only c's token 4 after b's 5 in fault-b").isEqualTo(1);
    }

    private Checker.Verdict check(String lines) throws IOException {
        Path report = Files.writeString(work.resolve("report.txt"), lines);
        Journal journal = new Journal(report);
        journal.refresh();
        return checker.check(journal);
    }
}
