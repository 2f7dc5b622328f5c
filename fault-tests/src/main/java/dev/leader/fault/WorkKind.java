package dev.leader.fault;

/** The kinds of leader-only work the fault app runs, each reported as runs and checked on its own. */
enum WorkKind {

    /** A {@code @LeaderOnly @Scheduled} job, once a second. */
    SCHEDULED("scheduled", true),

    /** A {@code @LeaderOnly} method returning a future that completes after it returned, called once a second. */
    ASYNC("async", true),

    /** The units of work a {@code @LeaderOnly} lifecycle does while it runs. */
    LIFECYCLE("lifecycle", false);

    private final String label;

    private final boolean ticks;

    WorkKind(String label, boolean ticks) {
        this.label = label;
        this.ticks = ticks;
    }

    /** The {@code job=} value of its report lines and its name in the table. */
    String label() {
        return label;
    }

    /** Whether it runs once per tick of a fixed-rate schedule, so that a skipped tick is a lost one. */
    boolean ticks() {
        return ticks;
    }

    static WorkKind of(String label) {
        for (WorkKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown job=" + label);
    }
}
