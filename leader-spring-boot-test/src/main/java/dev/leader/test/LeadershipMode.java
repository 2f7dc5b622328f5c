package dev.leader.test;

/** How the test backend decides elections; the value of {@code leader.test.mode}. */
public enum LeadershipMode {

    /**
     * This node is granted every election as soon as it starts campaigning, and again right
     * after it yields, as a lone candidate of a real backend would be.
     */
    ALWAYS,

    /**
     * This node is never leader: elections stay followers with no known leader, and
     * {@link LeadershipControl#grant(String)} is refused.
     */
    NEVER,

    /** Elections stay followers until the test grants them through {@link LeadershipControl}. */
    MANUAL
}
