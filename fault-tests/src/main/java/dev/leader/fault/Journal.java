package dev.leader.fault;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the apps reported to the shared file, in the order the lines reached it, read as it grows.
 * The only input of the {@link Checker}: it trusts nothing the harness believes about the apps.
 */
final class Journal {

    /**
     * The app's default election ({@code spring.application.name}); reports written before the app
     * named the election of each line were all of it.
     */
    static final String DEFAULT_ELECTION = "fault";

    /** A term began: the app's {@code granted} event, stamped with {@code System.nanoTime()}. */
    record Granted(String election, String candidate, long token, long at) {
    }

    record Revoked(String election, String candidate, long token, String reason, long at) {
    }

    /**
     * One run of leader-only work of one kind; {@code committed} false when the term had ended by
     * the time it finished.
     */
    record Run(int index, WorkKind kind, String election, String candidate, long token, long start, long end, boolean committed) {
    }

    /** The app's probe saw {@code isLeader()} true for this term at this time. */
    record Belief(String election, String candidate, long token, long at) {
    }

    private final Path file;

    private long offset;

    private final List<Granted> grants = new ArrayList<>();

    private final List<Revoked> revocations = new ArrayList<>();

    private final List<Run> runs = new ArrayList<>();

    private final List<Belief> beliefs = new ArrayList<>();

    /** Per election, per candidate: its last belief. */
    private final Map<String, Map<String, Long>> lastBelief = new HashMap<>();

    Journal(Path file) {
        this.file = file;
    }

    /** Reads the lines appended since the last call. */
    synchronized void refresh() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= offset) {
                return;
            }
            byte[] bytes = new byte[(int) (length - offset)];
            in.seek(offset);
            in.readFully(bytes);
            int lineStart = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    parse(new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8));
                    lineStart = i + 1;
                }
            }
            // A line still being written stays for the next call.
            offset += lineStart;
        }
    }

    private void parse(String line) {
        String[] words = line.split(" ");
        Map<String, String> fields = new HashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            fields.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        String election = fields.getOrDefault("election", DEFAULT_ELECTION);
        String candidate = fields.get("candidate");
        long token = Long.parseLong(fields.get("token"));
        switch (words[0]) {
            case "granted" -> grants.add(new Granted(election, candidate, token, Long.parseLong(fields.get("at"))));
            case "revoked" -> revocations.add(new Revoked(election, candidate, token, fields.get("reason"),
                    Long.parseLong(fields.get("at"))));
            // Reports written before the app had more than one kind of work name none.
            case "ran", "abandoned" -> runs.add(new Run(runs.size(), WorkKind.of(fields.getOrDefault("job", "scheduled")),
                    election, candidate, token, Long.parseLong(fields.get("start")), Long.parseLong(fields.get("end")),
                    words[0].equals("ran")));
            case "believes" -> {
                long at = Long.parseLong(fields.get("at"));
                beliefs.add(new Belief(election, candidate, token, at));
                lastBelief.computeIfAbsent(election, e -> new HashMap<>()).merge(candidate, at, Math::max);
            }
            default -> throw new IllegalStateException("unknown report line: " + line);
        }
    }

    synchronized List<Granted> grants() {
        return List.copyOf(grants);
    }

    synchronized List<Revoked> revocations() {
        return List.copyOf(revocations);
    }

    synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    synchronized List<Belief> beliefs() {
        return List.copyOf(beliefs);
    }

    /**
     * Whether the grant of the term the probes reported last has been read. A probe may report a
     * belief before the app's grant event has written its line (the event is dispatched on another
     * thread, which a loaded machine delays by tens of milliseconds).
     */
    synchronized boolean latestBeliefGranted() {
        if (beliefs.isEmpty()) {
            return true;
        }
        Belief latest = beliefs.get(beliefs.size() - 1);
        return grants.stream().anyMatch(g -> g.election().equals(latest.election()) && g.token() == latest.token());
    }

    /** The candidates whose probe reported a belief in {@code election} after {@code since} (nanoTime). */
    synchronized List<String> believersSince(String election, long since) {
        return lastBelief.getOrDefault(election, Map.of()).entrySet().stream().filter(e -> e.getValue() > since)
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** When {@code candidate}'s probe first reported a belief in {@code election} after {@code since}, if it did. */
    synchronized OptionalLong firstBeliefSince(String election, String candidate, long since) {
        return beliefs.stream().filter(b -> b.election().equals(election) && b.candidate().equals(candidate) && b.at() > since)
                .mapToLong(Belief::at).min();
    }

    /** When {@code candidate}'s probe last reported a belief in {@code election}, if ever. */
    synchronized OptionalLong lastBelief(String election, String candidate) {
        Long at = lastBelief.getOrDefault(election, Map.of()).get(candidate);
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }
}
