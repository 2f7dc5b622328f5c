package dev.leader.fault.app;

import dev.leader.spring.OnGrantedEvent;
import dev.leader.spring.OnRevokedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Reports and logs every grant and revoke, stamped on the monotonic clock. */
@Component
class LeadershipReport {

    private final CheckerReport report;

    LeadershipReport(CheckerReport report) {
        this.report = report;
    }

    private static final Logger log = LoggerFactory.getLogger(LeadershipReport.class);

    @EventListener
    void granted(OnGrantedEvent event) {
        long at = System.nanoTime();
        report.line("granted election=" + event.election() + " candidate=" + event.candidateId() + " token=" + event.leadership().fencingToken()
                + " at=" + at);
        log.info("leadership granted election={} candidate={} token={} at={}", event.election(),
                event.candidateId(), event.leadership().fencingToken(), at);
    }

    @EventListener
    void revoked(OnRevokedEvent event) {
        long at = System.nanoTime();
        report.line("revoked election=" + event.election() + " candidate=" + event.candidateId() + " token=" + event.leadership().fencingToken()
                + " reason=" + event.reason() + " at=" + at);
        log.info("leadership revoked election={} candidate={} token={} reason={} at={}", event.election(),
                event.candidateId(), event.leadership().fencingToken(), event.reason(), at);
    }
}
