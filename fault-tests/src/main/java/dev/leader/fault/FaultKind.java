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
    CLOCK_JUMP("clock jump");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
