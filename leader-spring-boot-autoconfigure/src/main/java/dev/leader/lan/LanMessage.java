package dev.leader.lan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * One datagram of the protocol. Every peer sends a {@link Type#HEARTBEAT} per heartbeat
 * interval carrying the term it knows, the leader it follows (itself when leading) and its own
 * id; a leader that yields or a peer that closes sends {@link Type#RESIGN} so the others need
 * not wait for the lease.
 *
 * <p>Replay protection: {@code incarnation} is random per backend instance and {@code sequence}
 * strictly increases per incarnation; {@code timestampMillis} bounds how old the first message
 * of an incarnation a peer has not heard may be (see {@link ReplayWindow}).
 *
 * @param flags {@link #ELIGIBLE}: the sender campaigns; {@link #LEAVING}: the sender closed;
 *        {@link #LISTENING}: the sender campaigns but is still listening before it may claim
 */
record LanMessage(Type type, int flags, String group, String election, String sender, long incarnation,
        long sequence, long timestampMillis, long term, @Nullable String leaderId, int priority) {

    static final int MAGIC = 0x4C445231; // "LDR1"

    static final int ELIGIBLE = 1;

    static final int LEAVING = 2;

    static final int LISTENING = 4;

    /** Larger than any message we write; a bigger datagram is not ours. */
    static final int MAX_SIZE = 2048;

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

    /** The sender says it leads {@link #term()}. */
    boolean claimsLeadership() {
        return type == Type.HEARTBEAT && sender.equals(leaderId);
    }

    /** The unsigned body; {@link MessageSigner} appends the signature. */
    byte[] body() {
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
            out.writeInt(priority);
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot happen in memory", ex);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a body of {@code length} bytes.
     *
     * @throws IOException if the bytes are not a message of this protocol
     */
    static LanMessage parse(byte[] data, int length) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 0, length));
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
        String leader = in.readUTF();
        int priority = in.readInt();
        if (in.available() != 0) {
            throw new IOException("trailing bytes");
        }
        return new LanMessage(type, flags, group, election, sender, incarnation, sequence, timestamp, term,
                leader.isEmpty() ? null : leader, priority);
    }
}
