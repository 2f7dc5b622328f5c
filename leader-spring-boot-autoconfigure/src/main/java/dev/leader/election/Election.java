package dev.leader.election;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * One candidate's view of one election. A backend creates it; {@link #start()} begins the
 * campaign, {@link #close()} ends it and releases leadership at once if held.
 */
public interface Election extends AutoCloseable {

    /** The election's name, shared by every candidate of it, e.g. {@code billing-jobs}. */
    String name();

    /** This participant, unique per process. */
    String candidateId();

    /**
     * Begins campaigning, or campaigns again after {@link #withdraw()}. Returns at once;
     * idempotent.
     */
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

    /**
     * Admits one piece of leader-only work under the current term: present only while this
     * candidate {@link #isLeader() leads} and admits work. Close the admission when the work
     * ends; a voluntary release ({@link #yieldLeadership()}, {@link #close()}) first stops
     * admitting, then waits for open admissions, so that the next leader never overlaps this
     * one's work. The {@code @LeaderOnly} guard admits every guarded call this way.
     */
    Optional<Admission> admit();

    /**
     * Stops admitting work until the next term; admitted work runs on. The first step of a
     * graceful release, for a caller that releases several elections at once and wants none of
     * them to admit new work while it waits for the others; yield and close take it themselves.
     */
    void stopAdmitting();

    /** How long {@link #yieldLeadership()} and {@link #close()} wait for admitted work (default 10 s). */
    void setDrainTimeout(Duration timeout);

    /**
     * Stops admitting work, waits for admitted work to end (at most the drain timeout), then
     * releases leadership if still held and campaigns again behind the other candidates.
     */
    void yieldLeadership();

    /**
     * Steps out of the election and stays out until {@link #start()}: stops admitting work, waits
     * for admitted work to end (at most the drain timeout), releases leadership if held (listeners
     * hear {@link RevokeReason#WITHDRAWN}), and leaves the line of candidates on the backend, so
     * that nobody waits behind it and it takes no term until it starts again. The election stays
     * open: listeners stay registered, and {@link #leaderId()} follows the others where the
     * backend learns of them without campaigning. Does nothing unless campaigning.
     */
    void withdraw();

    /**
     * Waits until this candidate leads, as Curator's {@code LeaderLatch.await} does; keeps waiting
     * if interrupted (and keeps the interrupt).
     *
     * @return true once leading, false after {@code timeout} or once closed
     */
    boolean awaitLeadership(Duration timeout);

    /** As {@link #awaitLeadership(Duration)}, and an interrupt ends the wait. */
    boolean awaitLeadershipInterruptibly(Duration timeout) throws InterruptedException;

    void addListener(ElectionListener listener);

    void removeListener(ElectionListener listener);

    /**
     * Calls this election's listeners with {@code executor} from the next event on, still one
     * event at a time and in order (a listener that blocks holds up this election only). The
     * default is a pool shared by every election, with a thread only while some election
     * delivers; the auto-configuration uses virtual threads when
     * {@code spring.threads.virtual.enabled} is true on Java 21 or newer.
     */
    void setListenerExecutor(Executor executor);

    /**
     * Stops campaigning; if leading, first stops admitting work and waits for admitted work (at
     * most the drain timeout), then releases leadership at once. Idempotent.
     */
    @Override
    void close();
}
