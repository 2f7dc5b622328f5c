package dev.leader.spring;

import dev.leader.election.Election;

/**
 * Called for every election the {@link ElectionRegistry} creates, before it starts; the way to
 * attach listeners (events, metrics) to every election.
 */
@FunctionalInterface
public interface ElectionCustomizer {

    void customize(Election election);
}
