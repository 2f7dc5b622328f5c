package dev.leader.bench;

import java.time.Duration;

import dev.leader.election.ElectionBackend;

/**
 * One of our backends: campaigns through an {@link ElectionBackend}, which harnesses that open
 * elections themselves (the {@link Scale} benchmark) ask for directly.
 */
interface OurBench extends BenchBackend {

    /** Our backend for {@code address} with this lease, as an application would build it. */
    ElectionBackend electionBackend(String address, Duration lease);

    @Override
    default Contenders connect(String address, Duration lease) {
        return Contenders.of(electionBackend(address, lease));
    }
}
