package dev.leader.sample;

import dev.leader.spring.OnGrantedEvent;
import dev.leader.spring.OnRevokedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs every transition, stamped on the monotonic clock. */
@Component
class LeadershipLog {

    private static final Logger log = LoggerFactory.getLogger(LeadershipLog.class);

    @EventListener
    void granted(OnGrantedEvent event) {
        long at = System.nanoTime();
        log.info("leadership granted election={} candidate={} token={} at={}", event.election(),
                event.candidateId(), event.leadership().fencingToken(), at);
    }

    @EventListener
    void revoked(OnRevokedEvent event) {
        long at = System.nanoTime();
        log.info("leadership revoked election={} candidate={} token={} reason={} at={}", event.election(),
                event.candidateId(), event.leadership().fencingToken(), event.reason(), at);
    }
}
