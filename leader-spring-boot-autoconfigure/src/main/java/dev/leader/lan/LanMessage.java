package dev.leader.lan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One datagram of the protocol. Every peer sends a {@link Type#HEARTBEAT} per heartbeat
 * interval carrying the term it knows, the leader it follows (itself when leading) and its own
 * id; a leader that yields or a peer that closes sends {@link Type#RESIGN} so the others need
 * not wait for the lease.
 *
 * <p>Round trips without a server: {@code stamp} is the sender's {@link System#nanoTime()} when
 * it framed the message, and {@code echoes} give, for each peer the sender heard, that peer's
 * incarnation and the stamp of the latest message the sender had received from it. A peer that
 * finds its own stamp echoed learns that the sender heard it at that time or later, so the sender
 * cannot declare it gone before that stamp + lease: what a leader needs to know when to stop
 * believing (see {@link LanElection}). A stamp is only ever compared on the host that made it.
 *
 * <p>Replay protection: {@code incarnation} is random per backend instance and {@code sequence}
 * strictly increases per incarnation; {@code timestampMillis} bounds how old the first message
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
 * @param stamp the sender's monotonic clock when it framed the message
 * @param echoes what the sender last heard of each peer; at most what fits in {@link #MAX_SIZE}
 */
record LanMessage(Type type, int flags, String group, String election, String sender, long incarnation,
        long sequence, long timestampMillis, long term, @Nullable String leaderId, long leaderIncarnation, int priority,
        long stamp, List<Echo> echoes) {

    /**
     * Version 3 names the leader's incarnation; version 2 added stamp and echoes. Datagrams of an
     * older version are refused as malformed: a group must not mix versions (upgrade all peers of
     * an election together, or give the new version another port).
     */
    static final int MAGIC = 0x4C445233; // "LDR3"

    /**
     * The largest term a message may carry, far below {@link Long#MAX_VALUE}: a claim (the
     * highest term known + 1) can never overflow, whatever a datagram said.
     */
    static final long MAX_TERM = 1L << 62;

    static final int ELIGIBLE = 1;

    static final int LEAVING = 2;

    static final int LISTENING = 4;

    /** Larger than any message we write; a bigger datagram is not ours. */
    static final int MAX_SIZE = 2048;

    /** What a body may take, leaving room for the flag and signature {@link MessageSigner} adds. */
    private static final int MAX_BODY = MAX_SIZE - 1 - MessageSigner.MAC_LENGTH;

    private static final int ECHO_SIZE = 16;

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

    /**
     * This message with as many of its echoes, in order, as fit in {@link #MAX_SIZE}: about a
     * hundred with candidate ids of a few dozen characters. A peer whose echo is left out is
     * confirmed by the others only, never longer than it should be.
     */
    LanMessage fitted() {
        int room = (MAX_BODY - header().length - 2) / ECHO_SIZE;
        return echoes.size() <= room ? this : new LanMessage(type, flags, group, election, sender, incarnation, sequence,
                timestampMillis, term, leaderId, leaderIncarnation, priority, stamp, echoes.subList(0, Math.max(0, room)));
    }

    /**
     * The unsigned body; {@link MessageSigner} frames it with a flag and the signature.
     *
     * @throws IllegalStateException if it would not fit in {@link #MAX_SIZE}: see {@link #fitted()}
     */
    byte[] body() {
        byte[] header = header();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(header.length + 2 + echoes.size() * ECHO_SIZE);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(header);
            out.writeShort(echoes.size());
            for (Echo echo : echoes) {
                out.writeLong(echo.incarnation());
                out.writeLong(echo.stamp());
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot happen in memory", ex);
        }
        if (bytes.size() > MAX_BODY) {
            throw new IllegalStateException("a message of " + sender + " with " + echoes.size() + " echoes takes "
                    + bytes.size() + " bytes, more than the " + MAX_BODY + " a datagram may carry");
        }
        return bytes.toByteArray();
    }

    private byte[] header() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(type.ordinal());
            out.writeByte(flags);
            out.writeUTF(group);
            out.writeUTF(election);
            out.writeUTF(sender);
            out.writeLong(incarnation);
            out.writeLong(sequence);
            out.writeLong(timestampMillis);
            out.writeLong(term);
            out.writeUTF(leaderId == null ? "" : leaderId);
            out.writeLong(leaderIncarnation);
            out.writeInt(priority);
            out.writeLong(stamp);
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot happen in memory", ex);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a body of {@code length} bytes from {@code offset}.
     *
     * @throws IOException if the bytes are not a message of this protocol
     */
    static LanMessage parse(byte[] data, int offset, int length) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, offset, length));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a leader message");
        }
        int typeIndex = in.readUnsignedByte();
        if (typeIndex >= Type.values().length) {
            throw new IOException("unknown message type " + typeIndex);
        }
        Type type = Type.values()[typeIndex];
        int flags = in.readUnsignedByte();
        String group = in.readUTF();
        String election = in.readUTF();
        String sender = in.readUTF();
        long incarnation = in.readLong();
        long sequence = in.readLong();
        long timestamp = in.readLong();
        long term = in.readLong();
        if (term < 0 || term > MAX_TERM) {
            throw new IOException("term " + term + " out of range");
        }
        String leader = in.readUTF();
        long leaderIncarnation = in.readLong();
        int priority = in.readInt();
        long stamp = in.readLong();
        int count = in.readUnsignedShort();
        if (in.available() != count * ECHO_SIZE) {
            throw new IOException(count + " echoes announced, " + in.available() + " bytes left");
        }
        List<Echo> echoes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            echoes.add(new Echo(in.readLong(), in.readLong()));
        }
        return new LanMessage(type, flags, group, election, sender, incarnation, sequence, timestamp, term,
                leader.isEmpty() ? null : leader, leader.isEmpty() ? 0 : leaderIncarnation, priority, stamp, echoes);
    }
}
