package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Tests send multicast only on {@code lo}, TTL 1. The loopback interface does not carry
 * multicast by default; this turns it on (we are root in the test environment).
 */
public final class LoopbackMulticast {

    static final String INTERFACE = "lo";

    private LoopbackMulticast() {
    }

    public static void enable() throws IOException, InterruptedException {
        NetworkInterface lo = NetworkInterface.getByName(INTERFACE);
        if (lo != null && lo.supportsMulticast()) {
            return;
        }
        Process p = new ProcessBuilder("ip", "link", "set", INTERFACE, "multicast", "on").redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as("'ip link set lo multicast on' failed (install iproute2 and run as root): %s", output)
                .isZero();
        assertThat(supported()).as("multicast on lo").isTrue();
    }

    private static boolean supported() {
        try {
            NetworkInterface lo = NetworkInterface.getByName(INTERFACE);
            return lo != null && lo.supportsMulticast();
        }
        catch (SocketException ex) {
            return false;
        }
    }

    /** A port per test class, so concurrently running classes never hear each other. */
    static int randomPort() {
        return ThreadLocalRandom.current().nextInt(20_000, 40_000);
    }

    static LanBackendSettings.Builder settings(int port, String secret) {
        return LanBackendSettings.builder().networkInterface(INTERFACE).port(port).ttl(1).secret(secret);
    }
}
