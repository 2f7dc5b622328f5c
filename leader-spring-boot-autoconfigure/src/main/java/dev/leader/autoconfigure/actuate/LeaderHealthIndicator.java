package dev.leader.autoconfigure.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import dev.leader.spring.ElectionRegistry;
import dev.leader.election.BackendStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * UP while the backend is reachable, whether this node leads or follows: a follower is healthy.
 * When the backend has been unreachable for longer than the lease it uses
 * ({@link dev.leader.election.ElectionBackend#lease()}), {@link #UNREACHABLE}: Boot's
 * default aggregation orders only DOWN, OUT_OF_SERVICE, UP and UNKNOWN and leaves other statuses
 * out of the aggregate, so an outage of the backend (which only pauses leader-only work) never
 * takes the whole application out of service. With {@code leader.health.down-when-unreachable}
 * it is DOWN instead. Answers from the backend's cached status, never with a network round trip.
 */
public class LeaderHealthIndicator extends AbstractHealthIndicator {

    /** The backend cannot be reached; this instance takes no part in elections until it can. */
    public static final Status UNREACHABLE = new Status("UNREACHABLE",
            "The election backend cannot be reached; leader-only work is paused on this instance");

    private final ElectionRegistry registry;

    private final boolean downWhenUnreachable;

    public LeaderHealthIndicator(ElectionRegistry registry, boolean downWhenUnreachable) {
        super("Leader election health check failed");
        this.registry = registry;
        this.downWhenUnreachable = downWhenUnreachable;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        BackendStatus status = registry.backend().status();
        if (status.unreachableLongerThan(registry.backend().lease(), Instant.now())) {
            builder.status(downWhenUnreachable ? Status.DOWN : UNREACHABLE);
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
            detail.put("role", election.isLeader() ? "leader" : election.state().name().toLowerCase(Locale.ROOT));
            election.leaderId().ifPresent(id -> detail.put("leaderId", id));
            elections.put(name, detail);
        });
        builder.withDetail("elections", elections);
    }
}
