package dev.leader.election;

import java.util.Optional;

/**
 * Receives one election's transitions, in order, on that election's event thread. A listener
 * that blocks delays only later events of the same election; one that throws is logged.
 */
public interface ElectionListener {

    default void granted(Leadership leadership) {
    }

    default void revoked(Leadership leadership, RevokeReason reason) {
    }

    default void leaderChanged(Optional<String> leaderId) {
    }
}
