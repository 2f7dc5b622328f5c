package dev.leader.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.leader.spring.LeaderContext;
import dev.leader.spring.LeaderOnly;
import dev.leader.spring.OnGrantedEvent;
import dev.leader.spring.OnRevokedEvent;
import dev.leader.election.Leadership;
import org.springframework.context.event.EventListener;

/** What an application puts behind leadership: guarded methods and grant/revoke listeners. */
public class LeaderJobs {

    private final List<Long> tokensRun = new ArrayList<>();

    private final List<String> heard = new ArrayList<>();

    /** Runs only on the leader; records the term it ran under. */
    @LeaderOnly
    public synchronized void run() {
        tokensRun.add(LeaderContext.current().orElseThrow().fencingToken());
    }

    @LeaderOnly(value = "imports", onNotLeader = LeaderOnly.OnNotLeader.THROW)
    public Optional<Leadership> importTerm() {
        return LeaderContext.current();
    }

    @EventListener
    public synchronized void onGranted(OnGrantedEvent event) {
        heard.add("granted " + event.election() + " " + event.leadership().fencingToken());
    }

    @EventListener
    public synchronized void onRevoked(OnRevokedEvent event) {
        heard.add("revoked " + event.election() + " " + event.leadership().fencingToken() + " " + event.reason());
    }

    public synchronized List<Long> tokensRun() {
        return List.copyOf(tokensRun);
    }

    public synchronized List<String> heard() {
        return List.copyOf(heard);
    }
}
