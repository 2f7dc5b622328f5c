package dev.leader.lan;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;

/**
 * One LAN peer in a process of its own, for multi-process tests. Arguments are
 * {@code key=value}: interface, port, secret ({@code -} for none), lease (ms), id, election, quorum,
 * priority.
 * Prints one line per event with {@link System#nanoTime()} (one clock for all processes of
 * the host): {@code READY}, {@code GRANTED token nanos}, {@code REVOKED reason token nanos},
 * {@code LEADER id nanos}, {@code CLOSING nanos}; with {@code beliefs=true} also what
 * {@link Election#isLeader()} says, sampled every millisecond: {@code BELIEVES token nanos} at
 * the first true sample of a term, {@code DOUBTS token nanos} with the last true sample once it
 * reads false. Reads commands from stdin: {@code start}, {@code yield}, {@code close},
 * {@code rejected}, {@code peers} (how many it tracks), {@code senders} (incarnations its replay
 * window tracks). SIGTERM closes the election (RESIGN) through the shutdown hook.
 */
public final class LanPeerMain {

    private LanPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        LanBackendSettings settings = LanBackendSettings.builder()
                .networkInterface(options.get("interface"))
                .port(Integer.parseInt(options.get("port")))
                .secret("-".equals(options.get("secret")) ? null : options.get("secret"))
                .lease(Duration.ofMillis(Long.parseLong(options.getOrDefault("lease", "2000"))))
                .quorum(Integer.parseInt(options.getOrDefault("quorum", "0")))
                .priority(Integer.parseInt(options.getOrDefault("priority", "0")))
                .ttl(1)
                .build();
        LanElectionBackend backend = new LanElectionBackend(settings);
        Election election = backend.election(options.get("election"), options.get("id"));
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                print("GRANTED " + leadership.fencingToken() + " " + System.nanoTime());
            }

            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                print("REVOKED " + reason + " " + leadership.fencingToken() + " " + System.nanoTime());
            }

            @Override
            public void leaderChanged(Optional<String> leaderId) {
                print("LEADER " + leaderId.orElse("-") + " " + System.nanoTime());
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            print("CLOSING " + System.nanoTime());
            backend.close();
        }));
        if (Boolean.parseBoolean(options.getOrDefault("beliefs", "false"))) {
            Thread probe = new Thread(() -> sampleBeliefs(election), "belief-probe");
            probe.setDaemon(true);
            probe.start();
        }
        print("READY");
        if (!Boolean.parseBoolean(options.getOrDefault("wait", "false"))) {
            election.start();
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "start" -> election.start();
                case "yield" -> election.yieldLeadership();
                case "close" -> {
                    print("CLOSING " + System.nanoTime());
                    election.close();
                }
                case "rejected" -> print("REJECTED " + backend.rejectedMessages());
                case "peers" -> print("PEERS " + ((LanElection) election).livePeers().size());
                case "senders" -> print("SENDERS " + backend.replayWindowSize());
                default -> print("UNKNOWN " + line);
            }
        }
        // Our parent (the test) is gone: do not linger as an orphan in a namespace.
        System.exit(0);
    }

    /** A true answer vouches for the term read just before it, as in the sample's belief probe. */
    private static void sampleBeliefs(Election election) {
        long believed = -1;
        long lastTrue = 0;
        while (true) {
            Optional<Leadership> term = election.leadership();
            boolean leader = election.isLeader();
            long now = System.nanoTime();
            long token = leader && term.isPresent() ? term.get().fencingToken() : -1;
            if (token != believed) {
                if (believed >= 0) {
                    print("DOUBTS " + believed + " " + lastTrue);
                }
                if (token >= 0) {
                    print("BELIEVES " + token + " " + now);
                }
                believed = token;
            }
            if (token >= 0) {
                lastTrue = now;
            }
            try {
                Thread.sleep(1);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
