package dev.leader.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Network namespaces joined by a bridge, all created here and deleted by {@link #close()}. The
 * bridge lives in a hub namespace of its own, so nothing is added to the host's namespace and no
 * packet can reach the host's real interfaces (multicast included). Each member namespace has
 * one veth into the bridge, named {@link #memberInterface()}, with the address
 * {@code <subnet>.(10 + i)/24}, multicast on and its loopback up; the hub may have an address on
 * the bridge too, for servers that run there.
 *
 * <p>Faults: a member's link cut both ways ({@link #linkDown}), or one-way loss between two members
 * ({@link #dropBetween}) while both still reach everyone else, as a flaky switch port or a
 * misbehaving NIC queue does.
 */
public final class BridgedNamespaces implements AutoCloseable {

    /**
     * What {@link #dropBetween} needs of the kernel: an HTB root with a class whose leaf is a FIFO
     * of length zero (every packet classified there is dropped at enqueue) and the u32 classifier.
     * No tc action and no netem: kernels built without them (small VMs) still have these.
     */
    public static final String DROP_CLASS = "1:2";

    private static @Nullable String oneWayDropProbe;

    private final String prefix;

    private final String memberInterface;

    private @Nullable String subnet;

    /** Members whose hub port has the dropping qdisc: set up once, filters added and removed. */
    private final Set<Integer> lossyPorts = new HashSet<>();

    /** The pairs {@link #dropBetween} cut, as {@code from * 1000 + to}. */
    private final Set<Integer> droppedPairs = new HashSet<>();

    private final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF), 16);

    private final List<String> created = new ArrayList<>();

    private BridgedNamespaces(String prefix, String memberInterface) {
        this.prefix = prefix;
        this.memberInterface = memberInterface;
    }

    /**
     * Makes a hub and {@code members} namespaces.
     *
     * @param prefix a few letters that name this use ({@code lan}, {@code flt}): namespaces
     *        {@code <prefix>hub-<tag>} and {@code <prefix>-<tag>-<i>}; its first letter and the
     *        tag name the hub's ports, which must fit in 15 characters
     * @param subnet the first three octets of a private /24, such as {@code 10.213.0}
     * @param hubAddress an address in that subnet for the bridge, or null for none
     * @param memberInterface the veth's name inside each member namespace
     */
    public static BridgedNamespaces create(String prefix, String subnet, @Nullable String hubAddress, String memberInterface,
            int members) throws IOException {
        BridgedNamespaces namespaces = new BridgedNamespaces(prefix, memberInterface);
        try {
            namespaces.build(subnet, hubAddress, members);
        }
        catch (IOException | RuntimeException ex) {
            namespaces.close();
            throw ex;
        }
        return namespaces;
    }

    /** Why namespaces cannot be used here (not root, no iproute2), or null if they can. */
    public static @Nullable String unavailableReason() {
        String probe = "probe-" + Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF), 16);
        try {
            String failure = Shell.run(List.of("ip", "netns", "add", probe));
            if (failure != null) {
                return "cannot create a network namespace (needs root and iproute2): " + failure;
            }
            failure = Shell.run(List.of("ip", "-n", probe, "link", "add", "probe0", "type", "bridge"));
            Shell.run(List.of("ip", "netns", "del", probe));
            return failure == null ? null : "cannot create a bridge in a namespace: " + failure;
        }
        catch (IOException ex) {
            return "cannot run 'ip' (install iproute2): " + ex.getMessage();
        }
    }

    /**
     * Why {@link #dropBetween} cannot work here ({@code tc}, HTB, the FIFO or the u32 classifier
     * missing), or null if it can; probed once, on a veth pair in a namespace of its own.
     */
    public static synchronized @Nullable String oneWayDropUnavailableReason() {
        if (oneWayDropProbe != null) {
            return oneWayDropProbe.isEmpty() ? null : oneWayDropProbe;
        }
        String probe = "probe-" + Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF), 16);
        try {
            String failure = Shell.run(List.of("ip", "netns", "add", probe));
            if (failure != null) {
                oneWayDropProbe = "cannot create a network namespace (needs root and iproute2): " + failure;
                return oneWayDropProbe;
            }
            try {
                failure = Shell.run(List.of("ip", "-n", probe, "link", "add", "probe0", "type", "veth", "peer", "name", "probe1"));
                if (failure == null) {
                    failure = dropQdisc(List.of("ip", "netns", "exec", probe), "probe0");
                }
                if (failure == null) {
                    failure = Shell.run(dropFilter(List.of("ip", "netns", "exec", probe), "add", "probe0", 10, "10.0.0.10"));
                }
            }
            finally {
                Shell.run(List.of("ip", "netns", "del", probe));
            }
            oneWayDropProbe = failure == null ? "" : "tc cannot drop by source address here (needs HTB, pfifo and u32): " + failure;
        }
        catch (IOException ex) {
            oneWayDropProbe = "cannot run 'ip' or 'tc' (install iproute2): " + ex.getMessage();
        }
        return oneWayDropProbe.isEmpty() ? null : oneWayDropProbe;
    }

    private void build(String subnet, @Nullable String hubAddress, int members) throws IOException {
        this.subnet = subnet;
        String hub = hub();
        Shell.must(List.of("ip", "netns", "add", hub));
        created.add(hub);
        // No IGMP snooping: no querier runs here, and the bridge must flood multicast groups.
        Shell.must(List.of("ip", "-n", hub, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"));
        if (hubAddress != null) {
            Shell.must(List.of("ip", "-n", hub, "addr", "add", hubAddress + "/24", "dev", "br0"));
        }
        Shell.must(List.of("ip", "-n", hub, "link", "set", "br0", "up"));
        Shell.must(List.of("ip", "-n", hub, "link", "set", "lo", "up"));
        for (int i = 0; i < members; i++) {
            String ns = prefix + "-" + tag + "-" + i;
            Shell.must(List.of("ip", "netns", "add", ns));
            created.add(ns);
            Shell.must(List.of("ip", "-n", hub, "link", "add", hubPort(i), "type", "veth", "peer", "name", memberInterface,
                    "netns", ns));
            Shell.must(List.of("ip", "-n", hub, "link", "set", hubPort(i), "master", "br0", "up"));
            Shell.must(List.of("ip", "-n", ns, "addr", "add", subnet + "." + (10 + i) + "/24", "dev", memberInterface));
            Shell.must(List.of("ip", "-n", ns, "link", "set", memberInterface, "multicast", "on", "up"));
            // Servers and HTTP ports inside a member namespace bind its loopback.
            Shell.must(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        }
    }

    /** The hub's namespace, which holds the bridge. */
    public String hub() {
        return prefix + "hub-" + tag;
    }

    /** The name of member namespace {@code i}. */
    public String namespace(int i) {
        return created.get(i + 1);
    }

    /** Member {@code i}'s address on the bridge. */
    public String memberAddress(int i) {
        return subnet + "." + (10 + i);
    }

    /** The veth's name inside every member namespace. */
    public String memberInterface() {
        return memberInterface;
    }

    /** The command prefix that runs a program in member {@code i} ({@code ip netns exec} execs: the pid stays). */
    public List<String> inMember(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** The command prefix that runs a program in the hub. */
    public List<String> inHub() {
        return List.of("ip", "netns", "exec", hub());
    }

    /** Cuts member {@code i} off the bridge, both ways: its hub port goes down. */
    public void linkDown(int i) throws IOException {
        Shell.must(List.of("ip", "-n", hub(), "link", "set", hubPort(i), "down"));
    }

    public void linkUp(int i) throws IOException {
        Shell.must(List.of("ip", "-n", hub(), "link", "set", hubPort(i), "up"));
    }

    /**
     * One-way loss: every IP packet member {@code from} sends (multicast included) stops reaching
     * member {@code to}, while {@code to}'s packets still reach {@code from} and both still reach
     * everyone else. Dropped on the bridge, at {@code to}'s port, by source address; see
     * {@link #oneWayDropUnavailableReason()}.
     */
    public synchronized void dropBetween(int from, int to) throws IOException {
        if (from == to) {
            throw new IllegalArgumentException("a member cannot lose its own packets: " + from);
        }
        String reason = oneWayDropUnavailableReason();
        if (reason != null) {
            throw new IOException(reason);
        }
        if (lossyPorts.add(to)) {
            String failure = dropQdisc(inHub(), hubPort(to));
            if (failure != null) {
                lossyPorts.remove(to);
                throw new IOException("cannot set up dropping on " + hubPort(to) + ": " + failure);
            }
        }
        if (droppedPairs.add(from * 1000 + to)) {
            Shell.must(dropFilter(inHub(), "add", hubPort(to), 10 + from, memberAddress(from)));
        }
    }

    /** Ends {@link #dropBetween(int, int)}, if it is in force: {@code from}'s packets reach {@code to} again. */
    public synchronized void restoreBetween(int from, int to) throws IOException {
        if (droppedPairs.remove(from * 1000 + to)) {
            Shell.must(dropFilter(inHub(), "del", hubPort(to), 10 + from, memberAddress(from)));
        }
    }

    /**
     * Sets up dropping on {@code device}, run through {@code in} (a namespace's command prefix, or
     * none): an HTB root whose default class passes everything and whose class {@link #DROP_CLASS}
     * leads into a FIFO of length zero; u32 filters added afterwards choose what is dropped.
     *
     * @return null when it worked, else what failed
     */
    public static @Nullable String dropQdisc(List<String> in, String device) throws IOException {
        List<List<String>> steps = List.of(
                List.of("qdisc", "add", "dev", device, "root", "handle", "1:", "htb", "default", "1"),
                // Rates far above what a test sends: the default class never shapes, never delays.
                List.of("class", "add", "dev", device, "parent", "1:", "classid", "1:1", "htb", "rate", "10gbit", "quantum", "60000"),
                List.of("class", "add", "dev", device, "parent", "1:", "classid", DROP_CLASS, "htb", "rate", "10gbit", "quantum", "60000"),
                List.of("qdisc", "add", "dev", device, "parent", DROP_CLASS, "handle", "2:", "pfifo", "limit", "0"));
        for (List<String> step : steps) {
            List<String> command = new ArrayList<>(in);
            command.add("tc");
            command.addAll(step);
            String failure = Shell.run(command);
            if (failure != null) {
                return String.join(" ", step) + ": " + failure;
            }
        }
        return null;
    }

    /** The u32 filter (one preference per source, so each can be removed alone) that sends {@code source}'s packets to the FIFO. */
    private static List<String> dropFilter(List<String> in, String verb, String device, int preference, String source) {
        List<String> command = new ArrayList<>(in);
        command.addAll(List.of("tc", "filter", verb, "dev", device, "parent", "1:", "protocol", "ip", "pref",
                Integer.toString(preference), "u32"));
        if (verb.equals("add")) {
            command.addAll(List.of("match", "ip", "src", source + "/32", "flowid", DROP_CLASS));
        }
        return command;
    }

    private String hubPort(int i) {
        return prefix.charAt(0) + tag + "-" + i;
    }

    @Override
    public void close() {
        for (String ns : created) {
            try {
                String failure = Shell.run(List.of("ip", "netns", "del", ns));
                if (failure != null) {
                    System.err.println("could not delete namespace " + ns + ": " + failure);
                }
            }
            catch (IOException ex) {
                System.err.println("could not delete namespace " + ns + ": " + ex);
            }
        }
        created.clear();
    }
}
