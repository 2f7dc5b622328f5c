package dev.leader.spring;

import dev.leader.election.Election;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;

/** This application's term in an election ended. */
public final class OnRevokedEvent extends LeaderEvent {

    private final Leadership leadership;

    private final RevokeReason reason;

    public OnRevokedEvent(Election source, Leadership leadership, RevokeReason reason) {
        super(source);
        this.leadership = leadership;
        this.reason = reason;
    }

    /** The term that ended. */
    public Leadership leadership() {
        return leadership;
    }

    public RevokeReason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "OnRevokedEvent[" + leadership + ", " + reason + "]";
    }
}
