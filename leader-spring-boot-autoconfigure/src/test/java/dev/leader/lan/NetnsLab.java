package dev.leader.lan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces joined by a bridge, all created here and deleted by {@link #close()}.
 * The bridge lives in a hub namespace of its own, so nothing is added to the host's namespace
 * and no packet can reach the host's real interfaces. Each peer namespace has one veth,
 * {@code lan0}, with a private address in 10.213.0.0/24.
 */
final class NetnsLab implements AutoCloseable {

    static final String PEER_INTERFACE = "lan0";

    private final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF), 16);

    private final String hub = "lanhub-" + tag;

    private final List<String> namespaces = new ArrayList<>();

    /**
     * Qdiscs that drop every packet a link sends, in order of preference: netem's loss, or,
     * on a kernel built without netem, a FIFO of length zero (it cannot be bypassed, so every
     * packet is dropped at enqueue). Either leaves what the link receives untouched.
     */
    private static final List<List<String>> DROP_ALL_QDISCS = List.of(List.of("netem", "loss", "100%"),
            List.of("pfifo", "limit", "0"));

    private static List<String> dropAllQdisc;

    /** Why namespaces cannot be used here, or null if they can. */
    static String unavailableReason() {
        String probe = "lanprobe-" + ProcessHandle.current().pid();
        try {
            String failure = run(List.of("ip", "netns", "add", probe));
            if (failure != null) {
                return "cannot create a network namespace (needs root and iproute2): " + failure;
            }
            failure = run(List.of("ip", "-n", probe, "link", "add", "probe0", "type", "bridge"));
            run(List.of("ip", "netns", "del", probe));
            return failure == null ? null : "cannot create a bridge in a namespace: " + failure;
        }
        catch (IOException ex) {
            return "cannot run 'ip' (install iproute2): " + ex.getMessage();
        }
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
            String failure = run(List.of("ip", "netns", "add", probe));
            if (failure != null) {
                return "cannot create a network namespace: " + failure;
            }
            try {
                failure = run(List.of("ip", "-n", probe, "link", "add", "probe0", "type", "veth", "peer", "name", "probe1"));
                if (failure != null) {
                    return "cannot create a veth pair in a namespace: " + failure;
                }
                for (List<String> qdisc : DROP_ALL_QDISCS) {
                    List<String> add = new ArrayList<>(List.of("ip", "netns", "exec", probe, "tc", "qdisc", "add", "dev",
                            "probe0", "root"));
                    add.addAll(qdisc);
                    failure = run(add);
                    if (failure == null) {
                        dropAllQdisc = qdisc;
                        return null;
                    }
                    failures.add(String.join(" ", qdisc) + ": " + failure);
                }
                return "no qdisc drops outgoing packets here (" + String.join("; ", failures) + ")";
            }
            finally {
                run(List.of("ip", "netns", "del", probe));
            }
        }
        catch (IOException ex) {
            return "cannot run 'ip' or 'tc' (install iproute2): " + ex.getMessage();
        }
    }

    NetnsLab(int peers) throws IOException {
        try {
            must(List.of("ip", "netns", "add", hub));
            namespaces.add(hub);
            // No IGMP snooping: no querier runs here, and the bridge must flood the group.
            must(List.of("ip", "-n", hub, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"));
            must(List.of("ip", "-n", hub, "link", "set", "br0", "up"));
            for (int i = 0; i < peers; i++) {
                String ns = "lanpeer-" + tag + "-" + i;
                must(List.of("ip", "netns", "add", ns));
                namespaces.add(ns);
                must(List.of("ip", "-n", hub, "link", "add", hubPort(i), "type", "veth", "peer", "name", PEER_INTERFACE,
                        "netns", ns));
                must(List.of("ip", "-n", hub, "link", "set", hubPort(i), "master", "br0", "up"));
                must(List.of("ip", "-n", ns, "addr", "add", "10.213.0." + (10 + i) + "/24", "dev", PEER_INTERFACE));
                must(List.of("ip", "-n", ns, "link", "set", PEER_INTERFACE, "multicast", "on", "up"));
                must(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
            }
        }
        catch (IOException | RuntimeException ex) {
            close();
            throw ex;
        }
    }

    String namespace(int i) {
        return namespaces.get(i + 1);
    }

    /** Cuts peer {@code i} off the bridge: its link goes down. */
    void linkDown(int i) throws IOException {
        must(List.of("ip", "-n", hub, "link", "set", hubPort(i), "down"));
    }

    void linkUp(int i) throws IOException {
        must(List.of("ip", "-n", hub, "link", "set", hubPort(i), "up"));
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
        must(add);
    }

    void restoreOutgoing(int i) throws IOException {
        must(List.of("ip", "netns", "exec", namespace(i), "tc", "qdisc", "del", "dev", PEER_INTERFACE, "root"));
    }

    private String hubPort(int i) {
        return "p" + tag + "-" + i;
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            try {
                run(List.of("ip", "netns", "del", ns));
            }
            catch (IOException ex) {
                System.err.println("could not delete namespace " + ns + ": " + ex);
            }
        }
        namespaces.clear();
    }

    private static void must(List<String> command) throws IOException {
        String failure = run(command);
        if (failure != null) {
            throw new IOException(String.join(" ", command) + " failed: " + failure);
        }
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        String output = new String(p.getInputStream().readAllBytes()).trim();
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
    }
}
