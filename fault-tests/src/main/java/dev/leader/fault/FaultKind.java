package dev.leader.fault;

/** What the plan can do; each backend supports the kinds that mean something for it. */
enum FaultKind {

    /** SIGTERM of the leader (graceful hand-off), then a new app in its slot. */
    SIGTERM_LEADER("sigterm"),

    /** SIGKILL of the leader, then a new app in its slot. */
    KILL_LEADER("kill -9"),

    /** SIGSTOP of the leader for longer than the lease, then SIGCONT. */
    PAUSE_LEADER("sigstop"),

    /** SIGKILL of every server of the backend, then a restart on the same data. */
    BACKEND_RESTART("backend restart"),

    /** SIGKILL of a majority of the backend's members, later restarted. */
    QUORUM_LOSS("quorum loss"),

    /** One app (the leader, half the time) cut off the network, then reconnected. */
    NETWORK_CUT("net cut"),

    /** The wall clock of one app jumps hours forward or back, then returns. */
    CLOCK_JUMP("clock jump"),

    /** SIGSTOP of one backend server (the single one, or a member) for longer than the lease, then SIGCONT. */
    SERVER_PAUSE("server sigstop"),

    /** SIGKILL of the server, restarted from a snapshot a few faults old (Redis: an RDB file, no AOF). */
    OLD_SNAPSHOT("old snapshot"),

    /** SIGKILL of the server, restarted with no data at all (Redis without persistence). */
    EMPTY_RESTART("empty restart"),

    /** A second app with the candidate id of the leader or of a follower, for a few seconds. */
    DUPLICATE_ID("duplicate id"),

    /** One follower's datagrams stop reaching another while the leader hands off (LAN, {@code tc}). */
    ONE_WAY_LOSS("one-way loss"),

    /** The wall clock of the database server jumps hours forward or back, then returns. */
    SERVER_CLOCK_JUMP("server clock jump"),

    /** One app's own threads hold every connection of its own pool for a few seconds. */
    POOL_EXHAUSTION("pool exhausted"),

    /**
     * A second election next to the default one, led by another app (each leader waits for the
     * other's election), whose leader goes (SIGTERM or SIGKILL): the default election's leader
     * takes it over within the hand-off bound. See {@link TwoElections}.
     */
    TWO_ELECTIONS("two elections");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
