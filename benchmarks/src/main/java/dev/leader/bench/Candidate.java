package dev.leader.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One candidate JVM of the hand-off harness. Talks to {@link CandidateProcess} in lines: it
 * prints {@code @@ READY}, {@code @@ GRANTED <nanoTime>}, {@code @@ RELEASED <nanoTime>}; it reads
 * {@code RELEASE} (close the campaign), {@code JOIN} (campaign again under a fresh id) and
 * {@code EXIT}.
 * Times are {@link System#nanoTime()}, which is CLOCK_MONOTONIC and so comparable across
 * processes of one Linux host.
 *
 * <p>Arguments: {@code <backend> <address> <election> <candidateId> <leaseMillis> [<sessions>]}.
 * With {@code sessions} above 1 (the herd), the JVM hosts that many candidates, each with a
 * client and session of its own as if it were a process of its own; each prints READY and
 * GRANTED, and only {@code EXIT} is understood.
 */
public final class Candidate {

    static final String PREFIX = "@@ ";

    private Candidate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5 && args.length != 6) {
            throw new IllegalArgumentException("usage: Candidate <backend> <address> <election> <candidateId> <leaseMillis> [<sessions>]");
        }
        BenchBackend bench = BenchBackends.byType(args[0]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
        int sessions = args.length == 6 ? Integer.parseInt(args[5]) : 1;
        startGarbage(Long.getLong("bench.garbage-mb-per-s", 0));
        if (sessions > 1) {
            herd(bench, args[1], args[2], args[3], lease, sessions);
        }
        else {
            single(bench, args[1], args[2], args[3], lease);
        }
        StepRecorder.writeTo(System.err);
        System.exit(0);
    }

    private static void single(BenchBackend bench, String address, String election, String candidateId, Duration lease)
            throws Exception {
        try (Contenders contenders = bench.connect(address, lease)) {
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
    }

    private static void herd(BenchBackend bench, String address, String election, String candidateId, Duration lease, int sessions)
            throws Exception {
        List<Contenders> clients = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                Contenders client = bench.connect(address, lease);
                clients.add(client);
                campaign(client, election, candidateId + "-" + i);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
                // Only EXIT is understood here.
            }
        }
        finally {
            // Closing a client closes its campaigns.
            clients.forEach(Contenders::close);
        }
    }

    private static Contenders.Contender campaign(Contenders contenders, String election, String candidateId)
            throws InterruptedException {
        Contenders.Contender contender = contenders.join(election, candidateId, nanos -> say("GRANTED " + nanos));
        // READY means campaigning, so that a round never measures a candidate still connecting.
        say("READY");
        return contender;
    }

    /**
     * GC pressure ({@link LeaseHold}): allocates {@code mbPerSecond} in 64 KiB arrays, keeping the
     * last 16 MiB of them reachable so that some survive into the old generation.
     */
    private static void startGarbage(long mbPerSecond) {
        if (mbPerSecond <= 0) {
            return;
        }
        Thread thread = new Thread(() -> {
            byte[][] kept = new byte[256][];
            long arraysPer10Ms = Math.max(1, mbPerSecond * 16 / 100);
            int next = 0;
            while (true) {
                for (long i = 0; i < arraysPer10Ms; i++) {
                    kept[next] = new byte[64 * 1024];
                    next = (next + 1) % kept.length;
                }
                try {
                    Thread.sleep(10);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }, "bench-garbage");
        thread.setDaemon(true);
        thread.start();
    }

    private static synchronized void say(String line) {
        System.out.println(PREFIX + line);
        System.out.flush();
    }
}
