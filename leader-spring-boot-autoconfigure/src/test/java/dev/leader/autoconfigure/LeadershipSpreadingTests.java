package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import dev.leader.election.Election;
import dev.leader.spring.ElectionRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Spreading 30 elections over three instances of real elections (the local backend): the first
 * instance to start wins them all, then hands the excess over until none leads more than its fair
 * share; without spreading it keeps them all.
 */
class LeadershipSpreadingTests {

    private static final int ELECTIONS = 30;

    @TempDir
    Path locks;

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterEach
    void closeAll() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    private ElectionRegistry start(String... properties) {
        return start(ELECTIONS, properties);
    }

    private ElectionRegistry start(int elections, String... properties) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, "leader.local.directory=" + locks);
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, properties);
        context.register(LeaderAutoConfiguration.class);
        context.refresh();
        instances.add(context);
        ElectionRegistry registry = context.getBean(ElectionRegistry.class);
        for (int i = 0; i < elections; i++) {
            registry.election("tenant-" + i);
        }
        return registry;
    }

    private static long leading(ElectionRegistry registry) {
        return registry.elections().values().stream().filter(Election::isLeader).count();
    }

    /** Who leads each election, as the instances see it: a snapshot to compare over time. */
    private static Map<String, String> leaders(List<ElectionRegistry> registries) {
        Map<String, String> leaders = new TreeMap<>();
        for (ElectionRegistry registry : registries) {
            registry.elections().forEach((name, election) -> {
                if (election.isLeader()) {
                    leaders.put(name, registry.candidateId());
                }
            });
        }
        return leaders;
    }

    private static boolean nobodyAbove(Map<String, String> leaders, int share) {
        Map<String, Long> led = leaders.values().stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        return led.values().stream().allMatch(count -> count <= share);
    }

    @Test
    void leadershipSpreadsToAFairShareWithoutFlapping() {
        ElectionRegistry first = start("leader.spread.instances=3");
        await().atMost(Duration.ofSeconds(30)).until(() -> leading(first) == ELECTIONS + 1);
        ElectionRegistry second = start("leader.spread.instances=3");
        ElectionRegistry third = start("leader.spread.instances=3");
        List<ElectionRegistry> all = List.of(first, second, third);
        int share = LeadershipSpreading.fairShare(ELECTIONS + 1, 3);
        // Judged on one snapshot: counts and the snapshot read at different moments could pass in
        // the instant an election moves from one instance to another, and settle on that instant.
        Map<String, String> settled = await().atMost(Duration.ofSeconds(120)).until(() -> leaders(all),
                snapshot -> snapshot.size() == ELECTIONS + 1 && nobodyAbove(snapshot, share));
        assertThat(share).isLessThanOrEqualTo((ELECTIONS + 1) * 40 / 100);
        // Settled: every election led, nobody over its share, and nothing moves any more.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> leaders(all).equals(settled));
    }

    @Test
    void oneTickYieldsATenthOfTheShare() {
        int elections = 100;
        ElectionRegistry first = start(elections, "leader.spread.instances=3");
        LeadershipSpreading spreading = instances.get(0).getBean(LeadershipSpreading.class);
        spreading.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> leading(first) == elections + 1);
        ElectionRegistry second = start(elections, "leader.spread.instances=3");
        instances.get(1).getBean(LeadershipSpreading.class).stop();
        int share = LeadershipSpreading.fairShare(elections + 1, 3);
        int batch = LeadershipSpreading.batch(elections + 1, share);
        assertThat(batch).isEqualTo(share / 10).isGreaterThan(1);
        // Only terms older than SETTLE are yielded.
        await().pollDelay(LeadershipSpreading.SETTLE).atMost(Duration.ofSeconds(10)).until(() -> true);
        spreading.tick();
        await().atMost(Duration.ofSeconds(30)).until(() -> leading(second) == batch);
        assertThat(leading(first)).isEqualTo(elections + 1 - batch);
    }

    @Test
    void aTickNeverYieldsBelowTheShare() {
        assertThat(LeadershipSpreading.batch(40, 37)).isEqualTo(3);
        assertThat(LeadershipSpreading.batch(38, 37)).isEqualTo(1);
        assertThat(LeadershipSpreading.batch(1000, 367)).isEqualTo(36);
        assertThat(LeadershipSpreading.batch(13, 12)).isEqualTo(1);
    }

    @Test
    void withoutSpreadingTheFirstInstanceKeepsEveryElection() {
        ElectionRegistry first = start();
        await().atMost(Duration.ofSeconds(30)).until(() -> leading(first) == ELECTIONS + 1);
        ElectionRegistry second = start();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> leading(first) == ELECTIONS + 1);
        assertThat(leading(second)).isZero();
    }
}
