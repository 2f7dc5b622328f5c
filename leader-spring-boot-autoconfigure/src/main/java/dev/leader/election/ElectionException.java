package dev.leader.election;

/** A failure of one election, naming the election and the candidate. */
public class ElectionException extends RuntimeException {

    private final String election;

    private final String candidateId;

    public ElectionException(String election, String candidateId, String message, Throwable cause) {
        super(describe(election, candidateId, message), cause);
        this.election = election;
        this.candidateId = candidateId;
    }

    public ElectionException(String election, String candidateId, String message) {
        super(describe(election, candidateId, message));
        this.election = election;
        this.candidateId = candidateId;
    }

    private static String describe(String election, String candidateId, String message) {
        return AbstractElection.logPrefix(election, candidateId) + " " + message;
    }

    public String election() {
        return election;
    }

    public String candidateId() {
        return candidateId;
    }
}
