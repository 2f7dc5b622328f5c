package dev.leader.bench.guard;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Boot app of the guard benchmark: the starter's auto-configuration, the local backend. */
@SpringBootApplication
public class GuardApplication {
}
