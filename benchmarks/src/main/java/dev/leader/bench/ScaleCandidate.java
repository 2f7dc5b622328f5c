package dev.leader.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * One application JVM of the {@link Scale} benchmark: opens N elections on command and says
 * which of them it leads. Talks to {@link ScaleProcess} in lines; it prints {@code @@ BASE}
 * once it has measured its {@link Footprint} before any election, and answers
 * <ul>
 * <li>{@code OPEN <n> <prefix>}: builds the backend's client, prints {@code @@ OPENING <nanoTime>}, opens
 * the elections {@code <prefix>0} to {@code <prefix>(n-1)}, then prints {@code @@ OPENED <nanoTime> <opened>}
 * (fewer than n when it stopped at {@code -Dscale.maxThreads} live threads);</li>
 * <li>{@code STATE}: {@code @@ STATE <nanoTime> <hex of the bit set of elections it leads, or ->};</li>
 * <li>{@code MEASURE}: {@code @@ COST <threads> <heap bytes> <sockets> <threads now>}, the
 * first three added since {@code BASE};</li>
 * <li>{@code EXIT}.</li>
 * </ul>
 *
 * <p>Arguments: {@code <backend> <address> <candidateId> <leaseMillis> <spreadInstances>}; spread
 * instances above 0 open our elections through Spring with {@code leader.spread.instances} set; that context
 * starts before {@code BASE}, so that neither the clock nor the footprint counts it.
 */
public final class ScaleCandidate {

    private static final int MAX_THREADS = Integer.getInteger("scale.maxThreads", Integer.MAX_VALUE);

    private ScaleCandidate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: ScaleCandidate <backend> <address> <candidateId> <leaseMillis> <spreadInstances>");
        }
        // With spreading, the Spring context (and its backend's connection) starts before the clock does.
        @Nullable ScaleElections elections = Integer.parseInt(args[4]) > 0 ? open(args) : null;
        Footprint before = Footprint.now();
        say("BASE");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "OPEN" -> {
                    // The clock starts at the first election, after the backend's client is built (its connect may still run).
                    if (elections == null) {
                        elections = open(args);
                    }
                    say("OPENING " + System.nanoTime());
                    int opened = 0;
                    while (opened < Integer.parseInt(words[1]) && !tooManyThreads(opened)) {
                        elections.open(words[2] + opened++);
                    }
                    say("OPENED " + System.nanoTime() + " " + opened);
                }
                case "STATE" -> {
                    byte[] leading = elections == null ? new byte[0] : elections.leading().toByteArray();
                    say("STATE " + System.nanoTime() + " " + (leading.length == 0 ? "-" : HexFormat.of().formatHex(leading)));
                }
                case "MEASURE" -> {
                    Footprint now = Footprint.now();
                    Footprint added = now.minus(before);
                    say("COST " + added.threads() + " " + added.heapBytes() + " " + added.sockets() + " " + now.threads());
                }
                default -> throw new IllegalArgumentException("unknown command " + line);
            }
        }
        if (elections != null) {
            elections.close();
        }
        System.exit(0);
    }

    /**
     * Whether this JVM holds more live threads than {@code -Dscale.maxThreads} allows (checked every 100
     * elections): three JVMs with a thread per election reach the host's pid limit (32,768 here) at about
     * 10,000 elections each, and on a shared machine that would stop everyone else's processes too.
     */
    private static boolean tooManyThreads(int opened) {
        return opened % 100 == 0 && ManagementFactory.getThreadMXBean().getThreadCount() > MAX_THREADS;
    }

    private static ScaleElections open(String[] args) {
        String address = args[1];
        String candidateId = args[2];
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        int spread = Integer.parseInt(args[4]);
        BenchBackend bench = BenchBackends.byType(args[0]);
        if (bench instanceof OurBench ours) {
            return spread > 0 ? ScaleElections.spreading(ours.electionBackend(address, lease), candidateId, spread)
                    : ScaleElections.ours(ours.electionBackend(address, lease), candidateId);
        }
        if (bench instanceof CuratorAnchor) {
            return ScaleElections.curator(address, lease, candidateId);
        }
        throw new IllegalArgumentException(args[0] + " has no scale measurement (ours and " + CuratorAnchor.TYPE + " have)");
    }

    private static void say(String line) {
        System.out.println(Candidate.PREFIX + line);
        System.out.flush();
    }
}
