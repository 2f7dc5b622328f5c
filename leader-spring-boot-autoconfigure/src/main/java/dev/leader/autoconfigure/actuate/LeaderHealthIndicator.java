package dev.leader.autoconfigure.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.leader.autoconfigure.ElectionRegistry;
import dev.leader.election.BackendStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while the backend is reachable, whether this node leads or follows: a follower is healthy.
 * DOWN only when the backend has been unreachable for longer than the lease. Answers from the
 * backend's cached status, never with a network round trip.
 */
public class LeaderHealthIndicator extends AbstractHealthIndicator {

    private final ElectionRegistry registry;

    private final Duration lease;

    public LeaderHealthIndicator(ElectionRegistry registry, Duration lease) {
        super("Leader election health check failed");
        this.registry = registry;
        this.lease = lease;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        BackendStatus status = registry.backend().status();
        if (status.unreachableLongerThan(lease, Instant.now())) {
            builder.down();
        }
        else {
            builder.up();
        }
        builder.withDetail("backend", registry.backend().type());
        builder.withDetail("reachable", status.reachable());
        if (status.unreachableSince() != null) {
            builder.withDetail("unreachableSince", status.unreachableSince());
        }
        if (status.lastError() != null) {
            builder.withDetail("lastError", status.lastError());
        }
        Map<String, Object> elections = new LinkedHashMap<>();
        registry.elections().forEach((name, election) -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("role", election.isLeader() ? "leader" : election.state().name().toLowerCase(java.util.Locale.ROOT));
            election.leaderId().ifPresent(id -> detail.put("leaderId", id));
            elections.put(name, detail);
        });
        builder.withDetail("elections", elections);
    }
}
