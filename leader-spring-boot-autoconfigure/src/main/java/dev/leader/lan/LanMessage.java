package dev.leader.lan;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One message of the protocol, as an election reads it: a datagram ({@link LanDatagram}) carries
 * one per election, each with the datagram's header fields. Every peer sends a {@link Type#HEARTBEAT} per heartbeat
 * interval carrying the term it knows, the leader it follows (itself when leading) and its own
 * id; a leader that yields or a peer that closes sends {@link Type#RESIGN} so the others need
 * not wait for the lease.
 *
 * <p>Round trips without a server: {@code stamp} is the sender's {@link System#nanoTime()} before
 * it framed the datagram carrying the message, and {@code echoes} give, for each peer the sender heard, that peer's
 * incarnation and the stamp of the latest message the sender had received from it. A peer that
 * finds its own stamp echoed learns that the sender heard it at that time or later, so the sender
 * cannot declare it gone before that stamp + lease: what a leader needs to know when to stop
 * believing (see {@link LanElection}). A stamp is only ever compared on the host that made it.
 *
 * <p>Replay protection: {@code incarnation} is random per backend instance and {@code sequence}
 * strictly increases per datagram of an incarnation (the messages of one datagram share it);
 * {@code timestampMillis} bounds how old the first message
 * of an incarnation a peer has not heard may be (see {@link ReplayWindow}).
 *
 * <p>Identity: a peer is its candidate id together with its incarnation ({@link PeerId}), and so
 * is the leader a message names ({@code leaderId} with {@code leaderIncarnation}): two processes
 * given one candidate id stay two peers.
 *
 * @param flags {@link #ELIGIBLE}: the sender campaigns; {@link #LEAVING}: the sender closed;
 *        {@link #LISTENING}: the sender campaigns but is still listening before it may claim
 * @param term the term the sender leads, claims or backs ({@code leaderId} names whom), else the
 *        highest it knows; never above {@link #MAX_TERM}
 * @param leaderIncarnation the incarnation of {@code leaderId}; 0 when there is none
 * @param stamp the sender's monotonic clock before it framed the datagram carrying the message
 * @param echoes what the sender last heard of each peer; at most what fits in a datagram
 */
record LanMessage(Type type, int flags, String group, String election, String sender, long incarnation,
        long sequence, long timestampMillis, long term, @Nullable String leaderId, long leaderIncarnation, int priority,
        long stamp, List<Echo> echoes) {

    /**
     * The largest term a message may carry, far below {@link Long#MAX_VALUE}: a claim (the
     * highest term known + 1) can never overflow, whatever a datagram said.
     */
    static final long MAX_TERM = 1L << 62;

    static final int ELIGIBLE = 1;

    static final int LEAVING = 2;

    static final int LISTENING = 4;

    /**
     * The sender had received, from the peer of {@code incarnation}, a message stamped
     * {@code stamp} (on that peer's clock) before it wrote this one.
     */
    record Echo(long incarnation, long stamp) {
    }

    LanMessage {
        echoes = List.copyOf(echoes);
    }

    enum Type {
        HEARTBEAT, RESIGN
    }

    boolean eligible() {
        return (flags & ELIGIBLE) != 0;
    }

    boolean leaving() {
        return (flags & LEAVING) != 0;
    }

    boolean listening() {
        return (flags & LISTENING) != 0;
    }

    PeerId senderId() {
        return new PeerId(sender, incarnation);
    }

    /** The leader the sender follows, backs or is, if any. */
    @Nullable PeerId leader() {
        return leaderId == null ? null : new PeerId(leaderId, leaderIncarnation);
    }

    /** The sender says it leads {@link #term()}, or claims it. */
    boolean claimsLeadership() {
        return type == Type.HEARTBEAT && sender.equals(leaderId) && incarnation == leaderIncarnation;
    }
}
