package dev.leader.sample;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces joined by a bridge, all created here and deleted by {@link #close()}, so
 * that instances of the sample multicast over a real link each. The bridge lives in a hub
 * namespace of its own: nothing is added to the host's namespace and no packet can reach its
 * real interfaces. Each instance namespace has one veth, {@value #INTERFACE}, with an address
 * in 10.214.0.0/24. (The library's tests have their own variant; test classes do not cross
 * modules.)
 */
final class NetworkNamespaces implements AutoCloseable {

    static final String INTERFACE = "lan0";

    private final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF), 16);

    private final String hub = "samplehub-" + tag;

    private final List<String> namespaces = new ArrayList<>();

    /** Why namespaces cannot be made here, or null if they can. */
    static String unavailableReason() {
        String probe = "sampleprobe-" + ProcessHandle.current().pid();
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

    NetworkNamespaces(int count) throws IOException {
        try {
            must(List.of("ip", "netns", "add", hub));
            namespaces.add(hub);
            // No IGMP snooping: no querier runs here, and the bridge must flood the group.
            must(List.of("ip", "-n", hub, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"));
            must(List.of("ip", "-n", hub, "link", "set", "br0", "up"));
            for (int i = 0; i < count; i++) {
                String ns = "sample-" + tag + "-" + i;
                must(List.of("ip", "netns", "add", ns));
                namespaces.add(ns);
                String port = "s" + tag + "-" + i;
                must(List.of("ip", "-n", hub, "link", "add", port, "type", "veth", "peer", "name", INTERFACE, "netns", ns));
                must(List.of("ip", "-n", hub, "link", "set", port, "master", "br0", "up"));
                must(List.of("ip", "-n", ns, "addr", "add", "10.214.0." + (10 + i) + "/24", "dev", INTERFACE));
                must(List.of("ip", "-n", ns, "link", "set", INTERFACE, "multicast", "on", "up"));
                // The instance's HTTP server binds 127.0.0.1 inside its namespace.
                must(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
            }
        }
        catch (IOException | RuntimeException ex) {
            close();
            throw ex;
        }
    }

    /** The name of instance namespace {@code i}, for {@code ip netns exec}. */
    String namespace(int i) {
        return namespaces.get(i + 1);
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            try {
                String failure = run(List.of("ip", "netns", "del", ns));
                if (failure != null) {
                    System.err.println("could not delete namespace " + ns + ": " + failure);
                }
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

    /** Null on success, else what went wrong. */
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
