package dev.leader.bench.guard;

/**
 * {@link LeaderOnlyBenchmark} with Boot's {@code ObservationRegistry}, as an application with
 * the starter (which brings the actuator) has it by default: every guarded call is a
 * {@code leader.only} observation, which the actuator's meter handler records as a timer and a
 * long-task timer. Only {@code guarded} differs from {@link LeaderOnlyBenchmark}.
 */
public class ObservedLeaderOnlyBenchmark extends LeaderOnlyBenchmark {

    @Override
    String[] observations() {
        return new String[0];
    }
}
