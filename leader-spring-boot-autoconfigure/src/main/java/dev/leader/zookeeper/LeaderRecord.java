package dev.leader.zookeeper;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Who leads, as a granted leader writes it into the election node's data: its candidate node's
 * name and its candidate id, {@code <node>\n<candidateId>}. Followers watch this one small
 * record instead of the leader's node, so a leader change costs each of them one short read,
 * not a list of every candidate (issue 21). It is only news for followers: a leader's belief
 * rests on its own node being first, never on this record.
 */
record LeaderRecord(String node, String candidateId) {

    byte[] encode() {
        return (node + '\n' + candidateId).getBytes(StandardCharsets.UTF_8);
    }

    /** Null for no data or data that is not a record (an election node of an earlier version, or another tool's). */
    static @Nullable LeaderRecord parse(byte @Nullable [] data) {
        if (data == null) {
            return null;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline < 0 || CandidateNode.parse(text.substring(0, newline)) == null) {
            return null;
        }
        return new LeaderRecord(text.substring(0, newline), text.substring(newline + 1));
    }
}
