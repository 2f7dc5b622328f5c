package dev.leader.fault;

import java.io.IOException;
import java.util.List;
import dev.leader.testsupport.BridgedNamespaces;
import dev.leader.testsupport.Placement;
import org.jspecify.annotations.Nullable;

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

    /** Null when everything runs on loopback. */
    private final @Nullable BridgedNamespaces namespaces;

    private Lab(@Nullable BridgedNamespaces namespaces) {
        this.namespaces = namespaces;
    }

    /** Namespaces when they can be made here, else loopback. */
    static Lab create(int slots, boolean wantNamespaces) throws IOException {
        if (!wantNamespaces || unavailableReason() != null) {
            return new Lab(null);
        }
        return new Lab(BridgedNamespaces.create("flt", "10.214.0", HUB_ADDRESS, APP_INTERFACE, slots));
    }

    /** Why namespaces cannot be used here, or null if they can. */
    static @Nullable String unavailableReason() {
        return BridgedNamespaces.unavailableReason();
    }

    boolean namespaces() {
        return namespaces != null;
    }

    /** The interface the LAN backend of a slot uses. */
    String appInterface() {
        return namespaces != null ? APP_INTERFACE : "lo";
    }

    /** Where the servers run: in the hub on its address, or on loopback. */
    Placement serverPlacement() {
        return namespaces != null ? Placement.in(namespaces.inHub(), HUB_ADDRESS) : Placement.LOOPBACK;
    }

    /** The command prefix that runs an app in its slot ({@code ip netns exec} execs: the pid stays). */
    List<String> inSlot(int slot) {
        return namespaces != null ? namespaces.inMember(slot) : List.of();
    }

    /** Cuts a slot off the bridge: from the backend and from every other app. */
    void cut(int slot) throws IOException {
        requireNamespaces().linkDown(slot);
    }

    void heal(int slot) throws IOException {
        requireNamespaces().linkUp(slot);
    }

    /** Whether one app's datagrams can be dropped on their way to another ({@code tc}), or why not. */
    @Nullable String oneWayLossUnavailableReason() {
        return namespaces == null ? "the lab runs on loopback" : BridgedNamespaces.oneWayDropUnavailableReason();
    }

    /** Everything slot {@code from} sends stops reaching slot {@code to}; the other way still works. */
    void dropBetween(int from, int to) throws IOException {
        requireNamespaces().dropBetween(from, to);
    }

    void restoreBetween(int from, int to) throws IOException {
        requireNamespaces().restoreBetween(from, to);
    }

    private BridgedNamespaces requireNamespaces() {
        if (namespaces == null) {
            throw new IllegalStateException("network faults need network namespaces; this lab runs on loopback");
        }
        return namespaces;
    }

    @Override
    public void close() {
        if (namespaces != null) {
            namespaces.close();
        }
    }
}
