package dev.leader.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.leader.testsupport.BridgedNamespaces;
import dev.leader.testsupport.Shell;
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

    /** The address the servers listen on and the apps connect to. */
    String serverAddress() {
        return namespaces != null ? HUB_ADDRESS : "127.0.0.1";
    }

    /** The interface the LAN backend of a slot uses. */
    String appInterface() {
        return namespaces != null ? APP_INTERFACE : "lo";
    }

    /** The command prefix that runs a server. */
    List<String> inHub() {
        return namespaces != null ? namespaces.inHub() : List.of();
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

    /** Runs a short command in the hub (next to the servers) and returns its output; empty when it failed. */
    String outputInHub(List<String> command) {
        List<String> full = new ArrayList<>(inHub());
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : "";
        }
        catch (IOException ex) {
            return "";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "";
        }
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
