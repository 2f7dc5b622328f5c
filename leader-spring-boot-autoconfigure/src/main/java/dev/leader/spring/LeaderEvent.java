package dev.leader.spring;

import dev.leader.election.Election;
import org.springframework.context.ApplicationEvent;

/** A transition of one election of this application; the source is the {@link Election}. */
public abstract sealed class LeaderEvent extends ApplicationEvent permits OnGrantedEvent, OnRevokedEvent, OnLeaderChangedEvent {

    private final String election;

    private final String candidateId;

    LeaderEvent(Election source) {
        super(source);
        this.election = source.name();
        this.candidateId = source.candidateId();
    }

    /** The election's name. */
    public String election() {
        return election;
    }

    /** This application's candidate id. */
    public String candidateId() {
        return candidateId;
    }
}
