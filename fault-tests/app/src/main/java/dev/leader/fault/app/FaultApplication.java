package dev.leader.fault.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The application the fault suite runs, several at once: leader-only work of each kind (a
 * scheduled job, an asynchronous job, a leader-only lifecycle), a probe of the leader's belief
 * and its terms, all reported to the file in {@code fault.report-file} for the suite's checker.
 */
@SpringBootApplication
@EnableScheduling
public class FaultApplication {

    public static void main(String[] args) {
        SpringApplication.run(FaultApplication.class, args);
    }
}
