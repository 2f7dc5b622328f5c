package dev.leader.lan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.leader.election.Election;
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
        int port = LoopbackMulticast.randomPort();
        List<LanElectionBackend> backends = new ArrayList<>();
        List<List<Election>> elections = new ArrayList<>();
        try {
            long started = System.nanoTime();
            for (String id : List.of("a", "b", "c")) {
                LanElectionBackend backend = new LanElectionBackend(
                        LoopbackMulticast.settings(port, "scale-measurement-secret-32-bytes").lease(LEASE).build());
                backends.add(backend);
                List<Election> mine = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    Election election = backend.election("scale-" + i, id);
                    election.start();
                    mine.add(election);
                }
                elections.add(mine);
            }
            String settled;
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> unsettled(elections, count) == 0);
                settled = String.format("%.1f s", (System.nanoTime() - started) / 1e9);
            }
            catch (ConditionTimeoutException ex) {
                settled = "not within 60 s (" + unsettled(elections, count) + " unsettled)";
            }
            long sent = sent(backends);
            long limited = rateLimited(backends);
            long since = System.nanoTime();
            Awaitility.await().pollDelay(INTERVAL.multipliedBy(3)).until(() -> true);
            double intervals = (System.nanoTime() - since) / (double) INTERVAL.toNanos();
            System.out.printf("lease %s, N=%d: settled after %s; at rest per backend and interval: %.0f datagrams sent, %.0f rate-limited%n",
                    LEASE, count, settled, (sent(backends) - sent) / intervals / backends.size(),
                    (rateLimited(backends) - limited) / intervals / backends.size());
        }
        finally {
            backends.forEach(LanElectionBackend::close);
        }
    }

    private static long unsettled(List<List<Election>> elections, int count) {
        long unsettled = 0;
        for (int i = 0; i < count; i++) {
            int leaders = 0;
            for (List<Election> ofBackend : elections) {
                leaders += ofBackend.get(i).isLeader() ? 1 : 0;
            }
            unsettled += leaders == 1 ? 0 : 1;
        }
        return unsettled;
    }

    private static long sent(List<LanElectionBackend> backends) {
        return backends.stream().mapToLong(LanElectionBackend::datagramsSent).sum();
    }

    private static long rateLimited(List<LanElectionBackend> backends) {
        return backends.stream().mapToLong(backend -> backend.rejectedMessages().get("rate_limited")).sum();
    }
}
