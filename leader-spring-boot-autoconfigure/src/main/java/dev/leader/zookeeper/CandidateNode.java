package dev.leader.zookeeper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The name of a candidate node: {@code _c_<guid>-n_<sequence>}. The GUID lets a candidate
 * whose create reply was lost find the node it made (ZooKeeper's "protected" create); the
 * sequence, not the whole name, orders candidates, since the GUIDs sort at random.
 */
record CandidateNode(String name, String guid, long sequence) {

    static final String PREFIX = "_c_";

    static final String SEPARATOR = "-n_";

    static final Comparator<CandidateNode> BY_SEQUENCE = Comparator.comparingLong(CandidateNode::sequence);

    static String newGuid() {
        return UUID.randomUUID().toString();
    }

    /** The path prefix for a create; ZooKeeper appends the 10-digit sequence. */
    static String prefix(String guid) {
        return PREFIX + guid + SEPARATOR;
    }

    /** Null for a child that is not a candidate node (left by another tool). */
    static @Nullable CandidateNode parse(String name) {
        int separator = name.lastIndexOf(SEPARATOR);
        if (!name.startsWith(PREFIX) || separator < PREFIX.length()) {
            return null;
        }
        String digits = name.substring(separator + SEPARATOR.length());
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            return new CandidateNode(name, name.substring(PREFIX.length(), separator), Long.parseLong(digits));
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

    /** The candidate nodes among {@code children}, lowest sequence first. */
    static List<CandidateNode> sorted(List<String> children) {
        List<CandidateNode> nodes = new ArrayList<>(children.size());
        for (String child : children) {
            CandidateNode node = parse(child);
            if (node != null) {
                nodes.add(node);
            }
        }
        nodes.sort(BY_SEQUENCE);
        return nodes;
    }
}
