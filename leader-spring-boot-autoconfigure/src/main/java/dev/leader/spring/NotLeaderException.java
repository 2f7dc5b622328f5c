package dev.leader.spring;

import dev.leader.election.AbstractElection;

/** A {@link LeaderOnly} call with {@code onNotLeader = THROW} was made on a non-leader. */
public class NotLeaderException extends IllegalStateException {

    private final String election;

    private final String candidateId;

    public NotLeaderException(String election, String candidateId) {
        super(AbstractElection.logPrefix(election, candidateId) + " this application does not lead");
        this.election = election;
        this.candidateId = candidateId;
    }

    public String election() {
        return election;
    }

    public String candidateId() {
        return candidateId;
    }
}
