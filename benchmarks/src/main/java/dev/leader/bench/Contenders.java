package dev.leader.bench;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;

import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;

/**
 * What a {@link Candidate} JVM campaigns with: one of our backends, or an anchor library
 * (Curator, Spring Integration) measured the same way.
 */
public interface Contenders extends AutoCloseable {

    /**
     * Joins {@code election} and returns once campaigning (connected, queued). {@code granted}
     * receives {@link System#nanoTime()} read at the moment the library reports leadership.
     */
    Contender join(String election, String candidateId, LongConsumer granted) throws InterruptedException;

    @Override
    void close();

    /** One campaign; {@link #close()} releases leadership if held. */
    interface Contender extends AutoCloseable {

        @Override
        void close();
    }

    /** Our backends: an {@link Election} per campaign. */
    static Contenders of(ElectionBackend backend) {
        return new Contenders() {
            @Override
            public Contender join(String name, String candidateId, LongConsumer granted) throws InterruptedException {
                Election election = backend.election(name, candidateId);
                election.addListener(new ElectionListener() {
                    @Override
                    public void granted(Leadership leadership) {
                        granted.accept(System.nanoTime());
                    }

                    @Override
                    public void leaderChanged(Optional<String> leaderId) {
                    }
                });
                election.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                // Queued once it leads or has read who leads, which takes the server: the state
                // alone is FOLLOWER as soon as start() returns, before the connection is up.
                while (!election.isLeader() && election.leaderId().isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("candidate " + candidateId + " neither leads nor knows a leader after 30 s: "
                                + election.state());
                    }
                    Thread.sleep(5);
                }
                return election::close;
            }

            @Override
            public void close() {
                backend.close();
            }
        };
    }
}
