package dev.leader.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Network namespaces joined by a bridge, all created here and deleted by {@link #close()}. The
 * bridge lives in a hub namespace of its own, so nothing is added to the host's namespace and no
 * packet can reach the host's real interfaces (multicast included). Each member namespace has
 * one veth into the bridge, named {@link #memberInterface()}, with the address
 * {@code <subnet>.(10 + i)/24}, multicast on and its loopback up; the hub may have an address on
 * the bridge too, for servers that run there.
 */
public final class BridgedNamespaces implements AutoCloseable {

    private final String prefix;

    private final String memberInterface;

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

    private void build(String subnet, @Nullable String hubAddress, int members) throws IOException {
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
