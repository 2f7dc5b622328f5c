package dev.leader.local;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;

/**
 * An application with a local backend in a JVM of its own, driven line by line on stdin:
 * {@code start <election> <id>}, {@code close <election>}. Prints {@code @@ READY}, then
 * {@code @@ GRANTED <election> <token> <nanoTime>} and {@code @@ REVOKED <election> <reason> <nanoTime>}
 * ({@code System.nanoTime()} is the host's monotonic clock, shared by every JVM). Ends when stdin closes.
 *
 * <p>Argument: the lock directory.
 */
public final class LocalCandidateMain {

    private LocalCandidateMain() {
    }

    public static void main(String[] args) throws Exception {
        LocalElectionBackend backend = new LocalElectionBackend(Path.of(args[0]));
        Map<String, Election> elections = new HashMap<>();
        print("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "start" -> {
                    Election election = backend.election(words[1], words[2]);
                    election.addListener(new ElectionListener() {
                        @Override
                        public void granted(Leadership leadership) {
                            print("GRANTED " + words[1] + " " + leadership.fencingToken() + " " + System.nanoTime());
                        }

                        @Override
                        public void revoked(Leadership leadership, RevokeReason reason) {
                            print("REVOKED " + words[1] + " " + reason + " " + System.nanoTime());
                        }
                    });
                    elections.put(words[1], election);
                    election.start();
                }
                case "close" -> elections.remove(words[1]).close();
                default -> print("UNKNOWN " + line);
            }
        }
        backend.close();
    }

    private static synchronized void print(String line) {
        System.out.println("@@ " + line);
        System.out.flush();
    }
}
