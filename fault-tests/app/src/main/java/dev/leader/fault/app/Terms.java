package dev.leader.fault.app;

import dev.leader.election.Election;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionRegistry;

/** The question every unit of leader-only work here asks before it commits. */
final class Terms {

    private Terms() {
    }

    /**
     * Whether {@code term} still holds: this instance believes it leads, and in that term. The
     * term is read before {@code isLeader()}, so that a true answer vouches for it. Work whose
     * term ended while it ran (a pause, a partition) is abandoned, not committed; downstream
     * systems refuse stale fencing tokens for the writes that slip through anyway.
     */
    static boolean stillHeld(ElectionRegistry registry, Leadership term) {
        Election election = registry.election(term.election());
        return election.leadership().filter(l -> l.fencingToken() == term.fencingToken()).isPresent() && election.isLeader();
    }
}
