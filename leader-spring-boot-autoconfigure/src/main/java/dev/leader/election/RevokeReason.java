package dev.leader.election;

/** Why a term ended. */
public enum RevokeReason {
    /** The backend released the term (the lease or node was removed by someone else). */
    RELEASED,
    /** This candidate yielded and campaigns again. */
    YIELDED,
    /** The local lease deadline passed without a confirmed renewal. */
    LEASE_EXPIRED,
    /** The backend session or connection was lost. */
    CONNECTION_LOST,
    /** Another candidate with a better claim took over (e.g. a healed LAN partition). */
    PREEMPTED,
    /**
     * This candidate withdrew from the election ({@link Election#withdraw()}): it stays open and
     * campaigns again on {@link Election#start()}.
     */
    WITHDRAWN,
    /** The election was closed. */
    CLOSED
}
