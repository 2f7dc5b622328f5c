package dev.leader.lan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import dev.leader.testsupport.BridgedNamespaces;
import dev.leader.testsupport.Shell;

/**
 * Network namespaces joined by a bridge for the LAN backend's peers ({@link BridgedNamespaces}:
 * nothing reaches the host's real interfaces), each with one veth, {@code lan0}, with a private
 * address in 10.213.0.0/24; and the loss of every datagram one peer sends, which only these tests
 * need (one-way loss between two peers is {@link BridgedNamespaces#dropBetween}'s).
 */
final class NetnsLab implements AutoCloseable {

    static final String PEER_INTERFACE = "lan0";

    /**
     * Qdiscs that drop every packet a link sends, in order of preference: netem's loss, or,
     * on a kernel built without netem, a FIFO of length zero (it cannot be bypassed, so every
     * packet is dropped at enqueue). Either leaves what the link receives untouched.
     */
    private static final List<List<String>> DROP_ALL_QDISCS = List.of(List.of("netem", "loss", "100%"),
            List.of("pfifo", "limit", "0"));

    private static List<String> dropAllQdisc;

    private final BridgedNamespaces namespaces;

    NetnsLab(int peers) throws IOException {
        this.namespaces = BridgedNamespaces.create("lan", "10.213.0", null, PEER_INTERFACE, peers);
    }

    /** Why namespaces cannot be used here, or null if they can. */
    static String unavailableReason() {
        return BridgedNamespaces.unavailableReason();
    }

    /**
     * Why outgoing packets cannot be dropped here ({@code tc} or both qdiscs missing), or null
     * if {@link #dropOutgoing(int)} works; probed once on a veth pair in a namespace of its own.
     */
    static synchronized String egressDropUnavailableReason() {
        if (dropAllQdisc != null) {
            return null;
        }
        String probe = "lanprobe-tc-" + ProcessHandle.current().pid();
        List<String> failures = new ArrayList<>();
        try {
            String failure = Shell.run(List.of("ip", "netns", "add", probe));
            if (failure != null) {
                return "cannot create a network namespace: " + failure;
            }
            try {
                failure = Shell.run(List.of("ip", "-n", probe, "link", "add", "probe0", "type", "veth", "peer", "name", "probe1"));
                if (failure != null) {
                    return "cannot create a veth pair in a namespace: " + failure;
                }
                for (List<String> qdisc : DROP_ALL_QDISCS) {
                    List<String> add = new ArrayList<>(List.of("ip", "netns", "exec", probe, "tc", "qdisc", "add", "dev",
                            "probe0", "root"));
                    add.addAll(qdisc);
                    failure = Shell.run(add);
                    if (failure == null) {
                        dropAllQdisc = qdisc;
                        return null;
                    }
                    failures.add(String.join(" ", qdisc) + ": " + failure);
                }
                return "no qdisc drops outgoing packets here (" + String.join("; ", failures) + ")";
            }
            finally {
                Shell.run(List.of("ip", "netns", "del", probe));
            }
        }
        catch (IOException ex) {
            return "cannot run 'ip' or 'tc' (install iproute2): " + ex.getMessage();
        }
    }

    String namespace(int i) {
        return namespaces.namespace(i);
    }

    /** Cuts peer {@code i} off the bridge: its link goes down. */
    void linkDown(int i) throws IOException {
        namespaces.linkDown(i);
    }

    void linkUp(int i) throws IOException {
        namespaces.linkUp(i);
    }

    /**
     * Drops every datagram peer {@code i} sends while it still receives the others' (one-way
     * loss); see {@link #egressDropUnavailableReason()}.
     */
    void dropOutgoing(int i) throws IOException {
        String reason = egressDropUnavailableReason();
        if (reason != null) {
            throw new IOException(reason);
        }
        List<String> add = new ArrayList<>(List.of("ip", "netns", "exec", namespace(i), "tc", "qdisc", "add", "dev",
                PEER_INTERFACE, "root"));
        add.addAll(dropAllQdisc);
        Shell.must(add);
    }

    /** Why {@link #dropBetween} cannot work here, or null if it can. */
    static String oneWayDropUnavailableReason() {
        return BridgedNamespaces.oneWayDropUnavailableReason();
    }

    /** One-way loss between two peers: {@code from}'s datagrams stop reaching {@code to}, and only {@code to}. */
    void dropBetween(int from, int to) throws IOException {
        namespaces.dropBetween(from, to);
    }

    void restoreBetween(int from, int to) throws IOException {
        namespaces.restoreBetween(from, to);
    }

    void restoreOutgoing(int i) throws IOException {
        Shell.must(List.of("ip", "netns", "exec", namespace(i), "tc", "qdisc", "del", "dev", PEER_INTERFACE, "root"));
    }

    @Override
    public void close() {
        namespaces.close();
    }
}
