package dev.leader.fault;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the apps and the servers run. With network namespaces (root, iproute2): a hub namespace
 * holds a bridge with address {@value #HUB_ADDRESS}, on which the servers listen, and each app
 * slot gets a namespace of its own with one veth into that bridge, so that one app's link can be
 * cut while everything else keeps talking. Nothing is added to the host's namespace, and no
 * packet can reach a real interface. Without namespaces everything runs on loopback and the
 * network faults are left out of the plan.
 */
final class Lab implements AutoCloseable {

    static final String HUB_ADDRESS = "10.214.0.1";

    static final String APP_INTERFACE = "app0";

    private final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF), 16);

    private final boolean namespaces;

    private final List<String> created = new ArrayList<>();

    private Lab(boolean namespaces) {
        this.namespaces = namespaces;
    }

    /** Namespaces when they can be made here, else loopback; {@code reason} says why not. */
    static Lab create(int slots, boolean wantNamespaces) throws IOException {
        if (!wantNamespaces || unavailableReason() != null) {
            return new Lab(false);
        }
        Lab lab = new Lab(true);
        try {
            lab.build(slots);
        }
        catch (IOException | RuntimeException ex) {
            lab.close();
            throw ex;
        }
        return lab;
    }

    /** Why namespaces cannot be used here, or null if they can. */
    static String unavailableReason() {
        String probe = "faultprobe-" + Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF), 16);
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

    private void build(int slots) throws IOException {
        String hub = hub();
        Shell.must(List.of("ip", "netns", "add", hub));
        created.add(hub);
        // No IGMP snooping: no querier runs here, and the bridge must flood the LAN backend's group.
        Shell.must(List.of("ip", "-n", hub, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"));
        Shell.must(List.of("ip", "-n", hub, "addr", "add", HUB_ADDRESS + "/24", "dev", "br0"));
        Shell.must(List.of("ip", "-n", hub, "link", "set", "br0", "up"));
        Shell.must(List.of("ip", "-n", hub, "link", "set", "lo", "up"));
        for (int i = 0; i < slots; i++) {
            String ns = slotNamespace(i);
            Shell.must(List.of("ip", "netns", "add", ns));
            created.add(ns);
            Shell.must(List.of("ip", "-n", hub, "link", "add", hubPort(i), "type", "veth", "peer", "name", APP_INTERFACE,
                    "netns", ns));
            Shell.must(List.of("ip", "-n", hub, "link", "set", hubPort(i), "master", "br0", "up"));
            Shell.must(List.of("ip", "-n", ns, "addr", "add", "10.214.0." + (10 + i) + "/24", "dev", APP_INTERFACE));
            Shell.must(List.of("ip", "-n", ns, "link", "set", APP_INTERFACE, "multicast", "on", "up"));
            Shell.must(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        }
    }

    boolean namespaces() {
        return namespaces;
    }

    /** The address the servers listen on and the apps connect to. */
    String serverAddress() {
        return namespaces ? HUB_ADDRESS : "127.0.0.1";
    }

    /** The interface the LAN backend of a slot uses. */
    String appInterface() {
        return namespaces ? APP_INTERFACE : "lo";
    }

    /** The command prefix that runs a server. */
    List<String> inHub() {
        return namespaces ? List.of("ip", "netns", "exec", hub()) : List.of();
    }

    /** The command prefix that runs an app in its slot ({@code ip netns exec} execs: the pid stays). */
    List<String> inSlot(int slot) {
        return namespaces ? List.of("ip", "netns", "exec", slotNamespace(slot)) : List.of();
    }

    /** Cuts a slot off the bridge: from the backend and from every other app. */
    void cut(int slot) throws IOException {
        Shell.must(List.of("ip", "-n", hub(), "link", "set", hubPort(slot), "down"));
    }

    void heal(int slot) throws IOException {
        Shell.must(List.of("ip", "-n", hub(), "link", "set", hubPort(slot), "up"));
    }

    /** Whether a TCP port of the servers accepts connections, asked from inside the hub. */
    boolean accepts(int port) {
        List<String> command = new ArrayList<>(inHub());
        command.addAll(List.of("bash", "-c", "exec 3<>/dev/tcp/" + serverAddress() + "/" + port));
        try {
            return Shell.run(command) == null;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private String hub() {
        return "flthub-" + tag;
    }

    private String slotNamespace(int slot) {
        return "fltapp-" + tag + "-" + slot;
    }

    private String hubPort(int slot) {
        return "f" + tag + "-" + slot;
    }

    @Override
    public void close() {
        for (String ns : created) {
            try {
                Shell.run(List.of("ip", "netns", "del", ns));
            }
            catch (IOException ex) {
                System.err.println("could not delete namespace " + ns + ": " + ex);
            }
        }
        created.clear();
    }
}
