package dev.leader.spring;

/** A {@link LeaderOnly} call with {@code onNotLeader = THROW} was made on a non-leader. */
public class NotLeaderException extends IllegalStateException {

    private final String election;

    private final String candidateId;

    public NotLeaderException(String election, String candidateId) {
        super("[election=" + election + ", id=" + candidateId + "] this application does not lead");
        this.election = election;
        this.candidateId = candidateId;
    }

    public String getElection() {
        return election;
    }

    public String getCandidateId() {
        return candidateId;
    }
}
