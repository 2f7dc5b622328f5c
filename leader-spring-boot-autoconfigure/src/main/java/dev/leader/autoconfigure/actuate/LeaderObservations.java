package dev.leader.autoconfigure.actuate;

import java.util.Locale;
import java.util.function.Supplier;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import dev.leader.spring.ElectionCustomizer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * One observation per term, {@code leader.term}, from {@code granted} to {@code revoked}, with
 * the low-cardinality tags {@code election}, {@code backend} and (once it ends) {@code reason},
 * and the candidate id and fencing token as high-cardinality values: traces show who led each
 * election when, and why each term ended. Guarded calls are observed by the guard itself
 * ({@code leader.only}).
 */
public class LeaderObservations implements ElectionCustomizer {

    private final ObservationRegistry registry;

    private final Supplier<String> backend;

    public LeaderObservations(ObservationRegistry registry, Supplier<String> backend) {
        this.registry = registry;
        this.backend = backend;
    }

    @Override
    public void customize(Election election) {
        election.addListener(new ElectionListener() {

            // Touched only by the election's serial event delivery.
            private @Nullable Observation term;

            @Override
            public void granted(Leadership leadership) {
                term = Observation.createNotStarted("leader.term", registry)
                        .contextualName("leader term " + election.name())
                        .lowCardinalityKeyValue("election", election.name())
                        .lowCardinalityKeyValue("backend", backend.get())
                        .highCardinalityKeyValue("candidate.id", leadership.candidateId())
                        .highCardinalityKeyValue("fencing.token", Long.toString(leadership.fencingToken()))
                        .start();
            }

            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                Observation ended = term;
                term = null;
                if (ended != null) {
                    ended.lowCardinalityKeyValue("reason", reason.name().toLowerCase(Locale.ROOT)).stop();
                }
            }
        });
    }
}
