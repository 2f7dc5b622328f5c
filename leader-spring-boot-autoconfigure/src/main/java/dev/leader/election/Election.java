package dev.leader.election;

import java.time.Duration;
import java.util.Optional;

/**
 * One candidate's view of one election. A backend creates it; {@link #start()} begins the
 * campaign, {@link #close()} ends it and releases leadership at once if held.
 */
public interface Election extends AutoCloseable {

    /** The election's name, shared by every candidate of it, e.g. {@code billing-jobs}. */
    String name();

    /** This participant, unique per process. */
    String candidateId();

    /** Begins campaigning. Returns at once; idempotent. */
    void start();

    /**
     * True only in state {@link ElectionState#LEADER} and before the local lease deadline
     * (send time of the last confirmed renewal + lease - safety margin, on
     * {@link System#nanoTime()}). A paused or partitioned leader stops believing by itself.
     */
    boolean isLeader();

    /** The current term, while this candidate is leader. */
    Optional<Leadership> leadership();

    /** Who leads, as far as this candidate knows; followers know it too. */
    Optional<String> leaderId();

    ElectionState state();

    /**
     * The time left before this leader stops believing unless a renewal is confirmed; empty
     * when not leading. A lease that cannot expire while the process lives (the local file
     * lock) reports {@link LeaseDeadline#UNBOUNDED}.
     */
    Optional<Duration> leaseRemaining();

    /** Releases leadership if held and campaigns again behind the other candidates. */
    void yieldLeadership();

    void addListener(ElectionListener listener);

    void removeListener(ElectionListener listener);

    /** Stops campaigning; releases leadership at once if held. Idempotent. */
    @Override
    void close();
}
