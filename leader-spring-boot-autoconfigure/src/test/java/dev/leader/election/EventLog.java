package dev.leader.election;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every transition of every candidate in a test, stamped on the monotonic clock as it is
 * delivered, for checks that span candidates.
 */
public final class EventLog {

    public enum Kind { GRANTED, REVOKED, LEADER_CHANGED }

    public record Entry(long nanos, String candidateId, Kind kind, long fencingToken, String detail) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public ElectionListener listenerFor(String candidateId) {
        return new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                add(new Entry(System.nanoTime(), candidateId, Kind.GRANTED, leadership.fencingToken(), ""));
            }

            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                add(new Entry(System.nanoTime(), candidateId, Kind.REVOKED, leadership.fencingToken(), reason.name()));
            }

            @Override
            public void leaderChanged(Optional<String> leaderId) {
                add(new Entry(System.nanoTime(), candidateId, Kind.LEADER_CHANGED, 0, leaderId.orElse("")));
            }
        };
    }

    private synchronized void add(Entry entry) {
        entries.add(entry);
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized List<Entry> of(Kind kind) {
        return entries.stream().filter(e -> e.kind() == kind).toList();
    }

    public synchronized long count(String candidateId, Kind kind) {
        return entries.stream().filter(e -> e.kind() == kind && e.candidateId().equals(candidateId)).count();
    }
}
