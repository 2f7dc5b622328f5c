package dev.leader.election;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code host:port} rule every backend's addresses follow: a name or an address, a port from 1 to 65535. */
public final class HostPorts {

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):([0-9]{1,5})");

    private HostPorts() {
    }

    /** Whether {@code hostPort} is {@code host:port}, {@code [ipv6]:port} included. */
    public static boolean isValid(String hostPort) {
        Matcher matcher = HOST_PORT.matcher(hostPort);
        if (!matcher.matches()) {
            return false;
        }
        int port = Integer.parseInt(matcher.group(2));
        return port >= 1 && port <= 65_535;
    }
}
