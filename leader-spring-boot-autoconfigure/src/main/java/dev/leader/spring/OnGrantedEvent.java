package dev.leader.spring;

import dev.leader.election.Election;
import dev.leader.election.Leadership;

/** This application became leader of an election. */
public final class OnGrantedEvent extends LeaderEvent {

    private final Leadership leadership;

    public OnGrantedEvent(Election source, Leadership leadership) {
        super(source);
        this.leadership = leadership;
    }

    public Leadership leadership() {
        return leadership;
    }

    @Override
    public String toString() {
        return "OnGrantedEvent[" + leadership + "]";
    }
}
