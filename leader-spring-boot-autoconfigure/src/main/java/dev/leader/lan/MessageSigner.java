package dev.leader.lan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Frames a datagram as {@code signed flag | body | HMAC-SHA256(body)} and checks frames: one
 * signature for all the messages a datagram carries. Peers
 * without a secret send the flag 0 and no MAC; a peer with a secret accepts only frames
 * signed with its own secret, so a peer with none or another secret cannot take part. The flag
 * comes first so that whether a frame is signed never depends on what its body holds.
 */
final class MessageSigner {

    static final String ALGORITHM = "HmacSHA256";

    static final int MAC_LENGTH = 32;

    /**
     * Why a frame was refused; each is counted. The last three bound what a flood can cost (most
     * likely without a secret, when anyone on the segment can send): {@code RATE_LIMITED}, more
     * datagrams from one source address than {@link SourceRateLimit} lets through;
     * {@code TERM_JUMP}, a term implausibly far above any the election knows;
     * {@code PEER_LIMIT}, a new peer when the election already tracks {@link LanPeers#MAX_PEERS}.
     */
    enum Rejection {
        MALFORMED, UNSIGNED, BAD_SIGNATURE, STALE, REPLAYED, RATE_LIMITED, TERM_JUMP, PEER_LIMIT
    }

    static final class RejectedException extends Exception {

        private final Rejection reason;

        RejectedException(Rejection reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        Rejection reason() {
            return reason;
        }
    }

    private final @Nullable SecretKeySpec key;

    MessageSigner(@Nullable String secret) {
        this.key = secret == null ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    boolean signs() {
        return key != null;
    }

    byte[] frame(LanDatagram datagram) {
        byte[] body = datagram.body();
        byte[] frame = new byte[1 + body.length + (key == null ? 0 : MAC_LENGTH)];
        System.arraycopy(body, 0, frame, 1, body.length);
        if (key != null) {
            frame[0] = 1;
            System.arraycopy(mac(body, 0, body.length), 0, frame, 1 + body.length, MAC_LENGTH);
        }
        return frame;
    }

    /** The datagram in a frame, if its signature is what this peer requires. */
    LanDatagram open(byte[] frame, int length) throws RejectedException {
        if (length < 2 || frame[0] != 0 && frame[0] != 1 || frame[0] == 1 && length <= MAC_LENGTH + 1) {
            throw new RejectedException(Rejection.MALFORMED, "not a frame of this protocol");
        }
        boolean signed = frame[0] == 1;
        int bodyLength = signed ? length - 1 - MAC_LENGTH : length - 1;
        if (key != null) {
            if (!signed) {
                throw new RejectedException(Rejection.UNSIGNED, "unsigned message while a secret is set");
            }
            byte[] expected = mac(frame, 1, bodyLength);
            byte[] actual = Arrays.copyOfRange(frame, 1 + bodyLength, length);
            if (!MessageDigest.isEqual(expected, actual)) {
                throw new RejectedException(Rejection.BAD_SIGNATURE, "wrong signature");
            }
        }
        else if (signed) {
            // We cannot check it, and taking part unsigned next to signed peers would let any
            // host on the segment join them through us.
            throw new RejectedException(Rejection.BAD_SIGNATURE, "signed message while no secret is set");
        }
        try {
            return LanDatagram.parse(frame, 1, bodyLength);
        }
        catch (IOException | RuntimeException ex) {
            throw new RejectedException(Rejection.MALFORMED, ex.getMessage() == null ? ex.toString() : ex.getMessage());
        }
    }

    private byte[] mac(byte[] data, int offset, int length) {
        try {
            // A Mac is not thread-safe and creating one costs microseconds: one per call.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(data, offset, length);
            return mac.doFinal();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", ex);
        }
    }
}
