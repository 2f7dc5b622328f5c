package dev.leader.spring;

import java.util.Optional;
import dev.leader.election.Election;

/** Who leads an election changed, as far as this application knows (followers hear it too). */
public final class OnLeaderChangedEvent extends LeaderEvent {

    private final Optional<String> leaderId;

    public OnLeaderChangedEvent(Election source, Optional<String> leaderId) {
        super(source);
        this.leaderId = leaderId;
    }

    /** The new leader, empty while nobody is known to lead. */
    public Optional<String> leaderId() {
        return leaderId;
    }

    @Override
    public String toString() {
        return "OnLeaderChangedEvent[" + election() + ", " + leaderId.orElse("-") + "]";
    }
}
