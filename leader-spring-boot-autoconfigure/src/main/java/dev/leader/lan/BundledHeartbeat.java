package dev.leader.lan;

import dev.leader.election.Leadership;
import org.jspecify.annotations.Nullable;

/**
 * A heartbeat (or a claim: a heartbeat naming its sender in a new term) the backend's tick or
 * receive thread gathered from one election, to go out together with those of the backend's
 * other elections ({@link GroupSender#send(java.util.List)}), and what became of it. The election
 * records it as sent ({@link LanElection#bundled}) only once the datagram carrying it went out,
 * and with that datagram's stamp: gathering, sending and recording are three steps, so no
 * election counts on a heartbeat that failed to go, nor takes a term whose claim did not go.
 */
final class BundledHeartbeat {

    private final LanElection election;

    private final LanDatagram.Entry entry;

    private final @Nullable Leadership mine;

    private final boolean listening;

    private final long said;

    private final long claimTerm;

    private long stamp = -1;

    /**
     * @param mine the term the election held when it said this, if any
     * @param listening whether it says the election still listens
     * @param said its number ({@link LanElection#say()})
     * @param claimTerm the term it claims, or -1 for a heartbeat that claims nothing new
     */
    BundledHeartbeat(LanElection election, LanDatagram.Entry entry, @Nullable Leadership mine, boolean listening,
            long said, long claimTerm) {
        this.election = election;
        this.entry = entry;
        this.mine = mine;
        this.listening = listening;
        this.said = said;
        this.claimTerm = claimTerm;
    }

    LanElection election() {
        return election;
    }

    LanDatagram.Entry entry() {
        return entry;
    }

    @Nullable Leadership mine() {
        return mine;
    }

    boolean listening() {
        return listening;
    }

    /** The term this claims, or -1 if it is a heartbeat that claims nothing new. */
    long claimTerm() {
        return claimTerm;
    }

    long said() {
        return said;
    }

    /**
     * Whether the election has sent nothing it said after this. A message it said later (a
     * claim, a RESIGN, a step-down) says more, and this one, sent after it, would undo it at the
     * peers. One said earlier and sent since does not make this one stale.
     */
    boolean current() {
        return said > election.lastSent();
    }

    /** Whether this is the latest message of its election handed to the sender. */
    boolean latest() {
        return election.lastSent() == said;
    }

    /** The datagram carrying it was sent, stamped {@code stamp}; -1 if it failed. */
    void sent(long stamp) {
        this.stamp = stamp;
    }

    /** Its datagram's stamp, or -1 if it was not sent. */
    long stamp() {
        return stamp;
    }
}
