package dev.leader.lan;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import dev.leader.election.ElectionNames;
import dev.leader.election.InvalidSettingException;
import dev.leader.election.LeaseDeadline;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the LAN backend, one per {@code leader.lan.*} property. Build with
 * {@link #builder()}; every value is checked once, in the constructor, with a message naming
 * the property.
 *
 * @param group logical group scoping the elections ({@code leader.lan.group}); null: peers
 *        meet by election name alone
 * @param multicastAddress IPv4 multicast group the peers meet on ({@code leader.lan.address})
 * @param port UDP port of the multicast group ({@code leader.lan.port})
 * @param networkInterface name of the interface to send and receive on
 *        ({@code leader.lan.interface}); null: the first up, multicast-capable, non-loopback
 *        interface with an IPv4 address
 * @param secret shared secret every message is signed with, HMAC-SHA256
 *        ({@code leader.lan.secret}); null: unsigned, with a WARN; shorter than
 *        {@link #MIN_SECRET_BYTES} bytes: a WARN
 * @param lease how long a silent peer counts as alive, and how long a leader believes after
 *        its last confirmed heartbeat ({@code leader.lease-duration})
 * @param priority tie-break among candidates: higher wins before the lower candidate id
 *        ({@code leader.lan.priority})
 * @param quorum expected cluster size; above 0 a term needs the backing of a majority of it, or of
 *        all candidates known if they are more ({@code leader.lan.quorum})
 * @param ttl multicast TTL; 1 keeps every packet on the local segment ({@code leader.lan.ttl})
 * @param replayWindow how far a message's timestamp may be from this host's clock
 *        ({@code leader.lan.replay-window})
 */
public record LanBackendSettings(@Nullable String group, InetAddress multicastAddress, int port,
        @Nullable String networkInterface, @Nullable String secret, Duration lease, int priority, int quorum,
        int ttl, Duration replayWindow) {

    /** An organisation-local (RFC 2365) group, never routed off site. */
    public static final String DEFAULT_ADDRESS = "239.255.76.67";

    public static final int DEFAULT_PORT = 7667;

    /** One hop: every packet stays on the local segment. */
    public static final int DEFAULT_TTL = 1;

    public static final Duration DEFAULT_REPLAY_WINDOW = Duration.ofSeconds(30);

    /**
     * The shortest secret (in UTF-8 bytes) without a start-up WARN: 256 bits, HMAC-SHA256's own
     * strength. Anyone on the segment can record a signed datagram and guess a shorter, or a
     * guessable, secret offline.
     */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Duration MAX_HANDOFF_GRACE = Duration.ofMillis(25);

    private static final String ADDRESS = "an IPv4 multicast address literal in 224.0.0.0/4, e.g. " + DEFAULT_ADDRESS;

    public LanBackendSettings {
        if (group != null && !ElectionNames.isValid(group)) {
            throw new InvalidSettingException("leader.lan.group", group, ElectionNames.ALLOWED);
        }
        if (!multicastAddress.isMulticastAddress() || multicastAddress.getAddress().length != 4) {
            throw new InvalidSettingException("leader.lan.address", multicastAddress.getHostAddress(), ADDRESS);
        }
        if (port < 1 || port > 65535) {
            throw new InvalidSettingException("leader.lan.port", port, "a UDP port from 1 to 65535");
        }
        if (networkInterface != null && networkInterface.isBlank()) {
            throw new InvalidSettingException("leader.lan.interface", networkInterface, "an interface's name (e.g. eth0), or leave it unset");
        }
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length == 0) {
            throw new InvalidSettingException("leader.lan.secret", "", "a shared secret of at least " + MIN_SECRET_BYTES
                    + " bytes, or leave it unset");
        }
        if (lease.isNegative() || lease.compareTo(Duration.ofMillis(300)) < 0) {
            throw new InvalidSettingException("leader.lease-duration", lease, "at least 300ms with the LAN backend");
        }
        if (quorum < 0) {
            throw new InvalidSettingException("leader.lan.quorum", quorum, "0 (off) or the expected cluster size, counting a rolling deploy's surge");
        }
        if (ttl < 1 || ttl > 255) {
            throw new InvalidSettingException("leader.lan.ttl", ttl, "1 to 255 (1 keeps packets on the local segment)");
        }
        if (replayWindow.isNegative() || replayWindow.compareTo(lease) < 0) {
            throw new InvalidSettingException("leader.lan.replay-window", replayWindow, "at least the lease (" + lease.toMillis() + "ms)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Peers that must back a term, this node included, in a group of the expected size; 0 when no
     * quorum is set. A group found larger needs a majority of its own size (see {@link LanElection}).
     */
    int majority() {
        return quorum == 0 ? 0 : quorum / 2 + 1;
    }

    /** The secret's length in UTF-8 bytes; 0 when none is set. */
    int secretBytes() {
        return secret == null ? 0 : secret.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A leader heartbeats three times per lease, so one lost packet never looks like death. */
    Duration heartbeatInterval() {
        return lease.dividedBy(3);
    }

    /**
     * How long, after a leader's RESIGN, each better-ranked peer is given to claim before the
     * next one does: a tenth of the heartbeat interval, at most 25 ms. Far above a healthy
     * peer's reaction (under a millisecond on a LAN), so the fallback claims only for a peer
     * that is stalled, busy or gone, and short enough that a hand-off never waits on it long.
     */
    Duration handoffGrace() {
        Duration tenth = heartbeatInterval().dividedBy(10);
        return tenth.compareTo(MAX_HANDOFF_GRACE) < 0 ? tenth : MAX_HANDOFF_GRACE;
    }

    public static final class Builder {

        private @Nullable String group;

        private InetAddress multicastAddress = address(DEFAULT_ADDRESS);

        private int port = DEFAULT_PORT;

        private @Nullable String networkInterface;

        private @Nullable String secret;

        private Duration lease = LeaseDeadline.DEFAULT_LEASE;

        private int priority;

        private int quorum;

        private int ttl = DEFAULT_TTL;

        private @Nullable Duration replayWindow;

        private Builder() {
        }

        public Builder group(@Nullable String group) {
            this.group = group;
            return this;
        }

        public Builder multicastAddress(String address) {
            this.multicastAddress = address(address);
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder networkInterface(@Nullable String name) {
            this.networkInterface = name;
            return this;
        }

        public Builder secret(@Nullable String secret) {
            this.secret = secret;
            return this;
        }

        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder quorum(int quorum) {
            this.quorum = quorum;
            return this;
        }

        public Builder ttl(int ttl) {
            this.ttl = ttl;
            return this;
        }

        /** Default: the larger of 30 s and the lease. */
        public Builder replayWindow(Duration window) {
            this.replayWindow = window;
            return this;
        }

        public LanBackendSettings build() {
            Duration window = replayWindow != null ? replayWindow
                    : DEFAULT_REPLAY_WINDOW.compareTo(lease) >= 0 ? DEFAULT_REPLAY_WINDOW : lease;
            return new LanBackendSettings(group, multicastAddress, port, networkInterface, secret, lease, priority,
                    quorum, ttl, window);
        }

        private static InetAddress address(String literal) {
            // Only literals: a host name here would mean a DNS lookup at start-up.
            if (!literal.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
                throw new InvalidSettingException("leader.lan.address", literal, ADDRESS);
            }
            try {
                return InetAddress.getByName(literal);
            }
            catch (UnknownHostException ex) {
                throw new InvalidSettingException("leader.lan.address", literal, ADDRESS);
            }
        }
    }
}
