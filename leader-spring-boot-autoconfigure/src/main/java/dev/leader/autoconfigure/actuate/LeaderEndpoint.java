package dev.leader.autoconfigure.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.leader.spring.ElectionRegistry;
import dev.leader.election.Election;
import dev.leader.election.ElectionState;
import dev.leader.election.Leadership;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/leader}: who leads each election, since when, with which fencing token, and
 * until when this node believes it. Read-only by default; yielding through
 * {@code DELETE /actuator/leader/{election}} needs
 * {@code management.endpoint.leader.access=unrestricted}.
 */
@Endpoint(id = "leader", defaultAccess = Access.READ_ONLY)
public class LeaderEndpoint {

    private final ElectionRegistry registry;

    public LeaderEndpoint(ElectionRegistry registry) {
        this.registry = registry;
    }

    @ReadOperation
    public LeaderDescriptor leader() {
        Map<String, ElectionDescriptor> elections = new LinkedHashMap<>();
        registry.elections().forEach((name, election) -> elections.put(name, describe(election)));
        return new LeaderDescriptor(registry.candidateId(), registry.backend().type(), elections);
    }

    /** One election; {@code null} (404 over HTTP) for a name this application does not use. */
    @ReadOperation
    public @Nullable ElectionDescriptor election(@Selector String election) {
        return registry.find(election).map(LeaderEndpoint::describe).orElse(null);
    }

    /** Yields leadership of {@code election}; {@code null} (404) for an unknown name. */
    @DeleteOperation
    public @Nullable YieldResult yieldLeadership(@Selector String election) {
        Election found = registry.find(election).orElse(null);
        if (found == null) {
            return null;
        }
        boolean wasLeader = found.isLeader();
        if (wasLeader) {
            found.yieldLeadership();
        }
        return new YieldResult(election, wasLeader, wasLeader ? "yielded; campaigning again behind the other candidates"
                : "not the leader; nothing to yield", found.state());
    }

    static ElectionDescriptor describe(Election election) {
        Leadership leadership = election.leadership().orElse(null);
        boolean leader = election.isLeader();
        Instant deadline = null;
        if (leader) {
            Duration remaining = election.leaseRemaining().orElse(Duration.ZERO);
            deadline = remaining.compareTo(dev.leader.election.LeaseDeadline.UNBOUNDED) >= 0 ? null : Instant.now().plus(remaining);
        }
        return new ElectionDescriptor(election.state(), leader, election.leaderId().orElse(null),
                leadership != null ? leadership.fencingToken() : null, leadership != null ? leadership.grantedAt() : null,
                deadline);
    }

    /** The whole view. */
    public record LeaderDescriptor(String candidateId, String backend, Map<String, ElectionDescriptor> elections) {
    }

    /**
     * One election as this node sees it. {@code leaseDeadline} is when this leader stops
     * believing without a renewal (absent for the local backend, whose lock does not expire).
     */
    public record ElectionDescriptor(ElectionState state, boolean leader, @Nullable String leaderId,
            @Nullable Long fencingToken, @Nullable Instant grantedAt, @Nullable Instant leaseDeadline) {
    }

    /** What a yield did. */
    public record YieldResult(String election, boolean yielded, String outcome, ElectionState state) {
    }
}
