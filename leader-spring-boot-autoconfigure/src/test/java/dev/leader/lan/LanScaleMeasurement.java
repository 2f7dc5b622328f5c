package dev.leader.lan;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Prints what many elections cost a LAN backend; not a test. Three backends in this JVM on lo
 * (one source address), each running the same N elections with a 3 s lease (1 s heartbeat
 * interval; {@code -Dlease=PT6S} for another): the time until every election has exactly one leader (at most 60 s), then, over
 * three intervals at rest, the datagrams a backend sends per interval and those rate-limited.
 * Run from the repository root, with the N to try as arguments:
 * <pre>
 * ./mvnw -q -o -pl leader-spring-boot-autoconfigure dependency:build-classpath -Dmdep.outputFile=/tmp/leader-cp.txt -Dmdep.includeScope=test
 * java -cp "leader-spring-boot-autoconfigure/target/classes:leader-spring-boot-autoconfigure/target/test-classes:$(cat /tmp/leader-cp.txt)" \
 *     dev.leader.lan.LanScaleMeasurement 1000 10000
 * </pre>
 */
public final class LanScaleMeasurement {

    private static final Duration LEASE = Duration.parse(System.getProperty("lease", "PT3S"));

    private static final Duration INTERVAL = LEASE.dividedBy(3);

    private LanScaleMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        LoopbackMulticast.enable();
        for (String arg : args) {
            measure(Integer.parseInt(arg));
        }
        System.exit(0);
    }

    private static void measure(int count) {
        long started = System.nanoTime();
        try (LanScaleGroup group = new LanScaleGroup(count, LEASE)) {
            String settled;
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> group.unsettled() == 0);
                settled = String.format("%.1f s", (System.nanoTime() - started) / 1e9);
            }
            catch (ConditionTimeoutException ex) {
                settled = "not within 60 s (" + group.unsettled() + " unsettled)";
            }
            long sent = group.sent();
            long limited = group.rateLimited();
            long since = System.nanoTime();
            Awaitility.await().pollDelay(INTERVAL.multipliedBy(3)).until(() -> true);
            double intervals = (System.nanoTime() - since) / (double) INTERVAL.toNanos();
            System.out.printf("lease %s, N=%d: settled after %s; at rest per backend and interval: %.0f datagrams sent, %.0f rate-limited%n",
                    LEASE, count, settled, (group.sent() - sent) / intervals / group.backends(),
                    (group.rateLimited() - limited) / intervals / group.backends());
        }
    }
}
