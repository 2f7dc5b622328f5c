package dev.leader.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionListener;
import dev.leader.election.ElectionState;
import dev.leader.election.Leadership;

/**
 * One candidate JVM of the hand-off harness. Talks to {@link CandidateProcess} in lines: it
 * prints {@code @@ READY}, {@code @@ GRANTED <nanoTime>}, {@code @@ RELEASED <nanoTime>}; it reads
 * {@code RELEASE} (close the election, then campaign again under a fresh id) and {@code EXIT}.
 * Times are {@link System#nanoTime()}, which is CLOCK_MONOTONIC and so comparable across
 * processes of one Linux host.
 *
 * <p>Arguments: {@code <backend> <address> <election> <candidateId> <leaseMillis>}.
 */
public final class Candidate {

    static final String PREFIX = "@@ ";

    private Candidate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: Candidate <backend> <address> <election> <candidateId> <leaseMillis>");
        }
        BenchBackend bench = BenchBackends.byType(args[0]);
        String electionName = args[2];
        String candidateId = args[3];
        try (ElectionBackend backend = bench.connect(args[1], Duration.ofMillis(Long.parseLong(args[4])))) {
            int generation = 0;
            Election election = campaign(backend, electionName, candidateId + "." + generation);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("RELEASE")) {
                    say("RELEASED " + System.nanoTime());
                    election.close();
                    generation++;
                    election = campaign(backend, electionName, candidateId + "." + generation);
                }
                else if (line.equals("EXIT")) {
                    break;
                }
            }
            election.close();
        }
        System.exit(0);
    }

    private static Election campaign(ElectionBackend backend, String name, String candidateId) throws InterruptedException {
        Election election = backend.election(name, candidateId);
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                // Read the clock first: this is the moment the successor's application learns it leads.
                long now = System.nanoTime();
                say("GRANTED " + now + " " + leadership.fencingToken());
            }

            @Override
            public void leaderChanged(Optional<String> leaderId) {
                say("LEADER " + leaderId.orElse("-"));
            }
        });
        election.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // READY means campaigning, so that a round never measures a candidate still connecting.
        while (election.state() == ElectionState.LATENT || election.state() == ElectionState.DISCONNECTED) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("candidate " + candidateId + " did not start campaigning: " + election.state());
            }
            Thread.sleep(5);
        }
        say("READY");
        return election;
    }

    private static synchronized void say(String line) {
        System.out.println(PREFIX + line);
        System.out.flush();
    }
}
