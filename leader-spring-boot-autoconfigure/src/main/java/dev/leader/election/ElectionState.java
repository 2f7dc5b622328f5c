package dev.leader.election;

/** Where a candidate stands. */
public enum ElectionState {
    /** Created, not started. */
    LATENT,
    /** Campaigning, someone else (or nobody yet) leads. */
    FOLLOWER,
    /** This candidate leads; {@link Election#isLeader()} also checks the lease deadline. */
    LEADER,
    /** The backend cannot be reached; retrying with backoff. */
    DISCONNECTED,
    /**
     * Withdrawn ({@link Election#withdraw()}): open, holding nothing on the backend and not
     * campaigning until {@link Election#start()}.
     */
    WITHDRAWN,
    /** Closed for good. */
    CLOSED
}
