package dev.leader.sample;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Calls {@link AsyncExport} once a second on every instance, through its proxy: only the leader's calls run. */
@Component
class AsyncExportSchedule {

    private final AsyncExport export;

    AsyncExportSchedule(AsyncExport export) {
        this.export = export;
    }

    @Scheduled(fixedRate = 1000)
    void tick() {
        export.export();
    }
}
