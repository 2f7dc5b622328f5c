package dev.leader.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a server runs: the command prefix its command line starts with (such as
 * {@code ip netns exec <namespace>}, which execs, so the process id stays the server's) and the
 * address it binds. {@link #LOOPBACK} is this host's loopback, without a prefix.
 *
 * @param prefix prepended to the server's command line, and to every probe of it; empty on this host
 * @param address the address the server binds and its clients use
 */
public record Placement(List<String> prefix, String address) {

    public static final Placement LOOPBACK = new Placement(List.of(), "127.0.0.1");

    public Placement {
        prefix = List.copyOf(prefix);
    }

    /** A server run through {@code prefix}, bound to {@code address}. */
    public static Placement in(List<String> prefix, String address) {
        return new Placement(prefix, address);
    }

    /** Whether the server runs elsewhere than this host's own network (its probes then go through the prefix). */
    public boolean isRemote() {
        return !prefix.isEmpty();
    }

    /** {@code command} with the prefix in front. */
    public List<String> command(List<String> command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    /** Whether {@code port} at {@link #address()} accepts a TCP connection, asked from where the server runs. */
    public boolean accepts(int port) {
        if (isRemote()) {
            try {
                return Shell.run(command(List.of("bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port))) == null;
            }
            catch (IOException ex) {
                return false;
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 200);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }
}
