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
 * What one datagram carries: a header of what the messages of one sender share (group, sender,
 * incarnation, sequence, timestamp, priority and stamp) and an entry per election, so that a
 * backend's periodic heartbeats of all its elections go out together, a datagram for as many
 * elections as fit in {@link #MAX_SIZE}, rather than one per election (issue 20). Each entry read
 * is a {@link LanMessage} of its own, with the header's fields: the elections cannot tell a
 * bundled heartbeat from one sent alone. Signature ({@link MessageSigner}) and replay check
 * ({@link ReplayWindow}) are per datagram.
 *
 * @param stamp the sender's monotonic clock before it framed the datagram: every entry's stamp
 * @param entries at least one
 */
record LanDatagram(String group, String sender, long incarnation, long sequence, long timestampMillis, int priority,
        long stamp, List<Entry> entries) {

    /**
     * Version 4 carries many elections per datagram; version 3 named the leader's incarnation;
     * version 2 added stamp and echoes. Datagrams of another version are refused as malformed: a
     * group must not mix versions (upgrade all peers of an election together, or give the new
     * version another port).
     */
    static final int MAGIC = 0x4C445234; // "LDR4"

    /** Larger than any datagram we write; a bigger one is not ours. */
    static final int MAX_SIZE = 2048;

    /** What a body may take, leaving room for the flag and signature {@link MessageSigner} adds. */
    static final int MAX_BODY = MAX_SIZE - 1 - MessageSigner.MAC_LENGTH;

    private static final int ECHO_SIZE = 16;

    /** An election's part of a datagram: what a {@link LanMessage} says beyond the header. */
    record Entry(LanMessage.Type type, int flags, String election, long term, @Nullable String leaderId,
            long leaderIncarnation, List<LanMessage.Echo> echoes) {

        Entry {
            echoes = List.copyOf(echoes);
        }

        /** An entry naming {@code leader} (null: none) by candidate id and incarnation. */
        static Entry of(LanMessage.Type type, int flags, String election, long term, @Nullable PeerId leader,
                List<LanMessage.Echo> echoes) {
            return new Entry(type, flags, election, term, leader == null ? null : leader.candidateId(),
                    leader == null ? 0 : leader.incarnation(), echoes);
        }

        /** Its size on the wire. */
        int size() {
            return encoded().length;
        }

        private byte[] encoded() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + echoes.size() * ECHO_SIZE);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                write(out);
            }
            catch (IOException ex) {
                throw new IllegalStateException("cannot happen in memory", ex);
            }
            return bytes.toByteArray();
        }

        private void write(DataOutputStream out) throws IOException {
            out.writeByte(type.ordinal());
            out.writeByte(flags);
            out.writeUTF(election);
            out.writeLong(term);
            out.writeUTF(leaderId == null ? "" : leaderId);
            out.writeLong(leaderIncarnation);
            out.writeShort(echoes.size());
            for (LanMessage.Echo echo : echoes) {
                out.writeLong(echo.incarnation());
                out.writeLong(echo.stamp());
            }
        }
    }

    LanDatagram {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a datagram carries at least one entry");
        }
    }

    /** The datagram of one message alone. */
    static LanDatagram of(LanMessage message) {
        return new LanDatagram(message.group(), message.sender(), message.incarnation(), message.sequence(),
                message.timestampMillis(), message.priority(), message.stamp(), List.of(new Entry(message.type(),
                        message.flags(), message.election(), message.term(), message.leaderId(),
                        message.leaderIncarnation(), message.echoes())));
    }

    /** Each entry as the message its election reads. */
    List<LanMessage> messages() {
        List<LanMessage> messages = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            messages.add(new LanMessage(entry.type(), entry.flags(), group, entry.election(), sender, incarnation,
                    sequence, timestampMillis, entry.term(), entry.leaderId(), entry.leaderIncarnation(), priority, stamp,
                    entry.echoes()));
        }
        return messages;
    }

    /** The room left for entries in a datagram of this header. */
    int room() {
        return MAX_BODY - header().length;
    }

    /**
     * {@code entry} with as many of its echoes, in order, as fit in a datagram of this header
     * alone: about a hundred with candidate ids of a few dozen characters. A peer whose echo is
     * left out is confirmed by the others only, never longer than it should be.
     */
    Entry fitted(Entry entry) {
        int size = entry.size();
        if (size <= room()) {
            return entry;
        }
        int fit = entry.echoes().size() - (size - room() + ECHO_SIZE - 1) / ECHO_SIZE;
        return new Entry(entry.type(), entry.flags(), entry.election(), entry.term(), entry.leaderId(),
                entry.leaderIncarnation(), entry.echoes().subList(0, Math.max(0, fit)));
    }

    /**
     * The unsigned body; {@link MessageSigner} frames it with a flag and the signature.
     *
     * @throws IllegalStateException if it would not fit in {@link #MAX_SIZE}: see {@link #fitted}
     */
    byte[] body() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(MAX_SIZE);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(header());
            for (Entry entry : entries) {
                entry.write(out);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot happen in memory", ex);
        }
        if (bytes.size() > MAX_BODY) {
            throw new IllegalStateException("a datagram of " + sender + " with " + entries.size() + " entries and "
                    + entries.stream().mapToInt(e -> e.echoes().size()).sum() + " echoes takes " + bytes.size()
                    + " bytes, more than the " + MAX_BODY + " it may carry");
        }
        return bytes.toByteArray();
    }

    private byte[] header() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeUTF(group);
            out.writeUTF(sender);
            out.writeLong(incarnation);
            out.writeLong(sequence);
            out.writeLong(timestampMillis);
            out.writeInt(priority);
            out.writeLong(stamp);
            out.writeShort(entries.size());
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot happen in memory", ex);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a body of {@code length} bytes from {@code offset}.
     *
     * @throws IOException if the bytes are not a datagram of this protocol
     */
    static LanDatagram parse(byte[] data, int offset, int length) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, offset, length));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a leader datagram");
        }
        String group = in.readUTF();
        String sender = in.readUTF();
        long incarnation = in.readLong();
        long sequence = in.readLong();
        long timestamp = in.readLong();
        int priority = in.readInt();
        long stamp = in.readLong();
        int count = in.readUnsignedShort();
        if (count == 0) {
            throw new IOException("no entries");
        }
        List<Entry> entries = new ArrayList<>(Math.min(count, length));
        for (int i = 0; i < count; i++) {
            entries.add(readEntry(in));
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes after the last of " + count + " entries");
        }
        return new LanDatagram(group, sender, incarnation, sequence, timestamp, priority, stamp, entries);
    }

    private static Entry readEntry(DataInputStream in) throws IOException {
        int typeIndex = in.readUnsignedByte();
        if (typeIndex >= LanMessage.Type.values().length) {
            throw new IOException("unknown message type " + typeIndex);
        }
        int flags = in.readUnsignedByte();
        String election = in.readUTF();
        long term = in.readLong();
        if (term < 0 || term > LanMessage.MAX_TERM) {
            throw new IOException("term " + term + " out of range");
        }
        String leader = in.readUTF();
        long leaderIncarnation = in.readLong();
        int count = in.readUnsignedShort();
        if (in.available() < count * ECHO_SIZE) {
            throw new IOException(count + " echoes announced, " + in.available() + " bytes left");
        }
        List<LanMessage.Echo> echoes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            echoes.add(new LanMessage.Echo(in.readLong(), in.readLong()));
        }
        return new Entry(LanMessage.Type.values()[typeIndex], flags, election, term, leader.isEmpty() ? null : leader,
                leader.isEmpty() ? 0 : leaderIncarnation, echoes);
    }
}
