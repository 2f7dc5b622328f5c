package dev.leader.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal reads the report as it grows. */
class JournalTest {

    @TempDir
    Path work;

    @Test
    void aBeliefReportedBeforeItsGrantLineIsNotGrantedUntilTheLineArrives() throws IOException {
        // A soak's clock jump began between a term's first belief and its grant line, and counted the grant as its doing.
        Path report = Files.writeString(work.resolve("report.txt"), """
                granted candidate=a token=1 at=0
                believes candidate=a token=1 at=10
                believes candidate=b token=2 at=500
                """);
        Journal journal = new Journal(report);
        journal.refresh();
        assertThat(journal.latestBeliefGranted()).isFalse();

        Files.writeString(report, "granted candidate=b token=2 at=480\n", StandardOpenOption.APPEND);
        journal.refresh();
        assertThat(journal.latestBeliefGranted()).isTrue();
    }

    @Test
    void linesWithoutAnElectionAreTheDefaultElectionsAndBeliefsAreKeptPerElection() throws IOException {
        Path report = Files.writeString(work.resolve("report.txt"), """
                believes candidate=a token=1 at=10
                believes election=fault-b candidate=b token=7 at=20
                ran job=scheduled election=fault-b candidate=b token=7 start=30 end=40
                """);
        Journal journal = new Journal(report);
        journal.refresh();
        assertThat(journal.believersSince(Journal.DEFAULT_ELECTION, 0)).containsExactly("a");
        assertThat(journal.believersSince("fault-b", 0)).containsExactly("b");
        assertThat(journal.runs()).extracting(Journal.Run::election).containsExactly("fault-b");
        assertThat(journal.lastBelief("fault-b", "a")).isEmpty();
    }

    @Test
    void aJobLineWithoutAKindIsTheScheduledJobs() throws IOException {
        Path report = Files.writeString(work.resolve("report.txt"), """
                ran candidate=a token=1 start=1 end=2
                abandoned job=lifecycle candidate=a token=1 start=3 end=4
                """);
        Journal journal = new Journal(report);
        journal.refresh();
        assertThat(journal.runs()).extracting(Journal.Run::kind).containsExactly(WorkKind.SCHEDULED, WorkKind.LIFECYCLE);
    }
}
