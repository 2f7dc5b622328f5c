package dev.leader.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One candidate JVM of the hand-off harness. Talks to {@link CandidateProcess} in lines: it
 * prints {@code @@ READY}, {@code @@ GRANTED <nanoTime>}, {@code @@ RELEASED <nanoTime>}; it reads
 * {@code RELEASE} (close the campaign), {@code JOIN} (campaign again under a fresh id) and
 * {@code EXIT}.
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
        String election = args[2];
        String candidateId = args[3];
        try (Contenders contenders = bench.connect(args[1], Duration.ofMillis(Long.parseLong(args[4])))) {
            int generation = 0;
            Contenders.@Nullable Contender contender = campaign(contenders, election, candidateId + "." + generation);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("RELEASE")) {
                    say("RELEASED " + System.nanoTime());
                    contender.close();
                    contender = null;
                }
                else if (line.equals("JOIN") && contender == null) {
                    generation++;
                    contender = campaign(contenders, election, candidateId + "." + generation);
                }
                else if (line.equals("EXIT")) {
                    break;
                }
            }
            if (contender != null) {
                contender.close();
            }
        }
        System.exit(0);
    }

    private static Contenders.Contender campaign(Contenders contenders, String election, String candidateId)
            throws InterruptedException {
        Contenders.Contender contender = contenders.join(election, candidateId, nanos -> say("GRANTED " + nanos));
        // READY means campaigning, so that a round never measures a candidate still connecting.
        say("READY");
        return contender;
    }

    private static synchronized void say(String line) {
        System.out.println(PREFIX + line);
        System.out.flush();
    }
}
