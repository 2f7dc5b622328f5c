package dev.leader.fault.app;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Calls {@link AsyncJob} through its proxy once a second on every instance; only the leader's calls run. */
@Component
class AsyncTicker {

    private final AsyncJob job;

    AsyncTicker(AsyncJob job) {
        this.job = job;
    }

    @Scheduled(fixedRate = 1000)
    void tick() {
        job.run();
    }
}
