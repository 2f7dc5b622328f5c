package dev.leader.autoconfigure;

import java.util.Optional;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import dev.leader.spring.ElectionCustomizer;
import dev.leader.spring.OnGrantedEvent;
import dev.leader.spring.OnLeaderChangedEvent;
import dev.leader.spring.OnRevokedEvent;
import org.springframework.context.ApplicationEventPublisher;

/** Publishes every election's transitions as Spring application events, in order. */
final class ApplicationEventBridge implements ElectionCustomizer {

    private final ApplicationEventPublisher publisher;

    ApplicationEventBridge(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void customize(Election election) {
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                publisher.publishEvent(new OnGrantedEvent(election, leadership));
            }

            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                publisher.publishEvent(new OnRevokedEvent(election, leadership, reason));
            }

            @Override
            public void leaderChanged(Optional<String> leaderId) {
                publisher.publishEvent(new OnLeaderChangedEvent(election, leaderId));
            }
        });
    }
}
