package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongConsumer;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.framework.recipes.leader.Participant;

import dev.leader.autoconfigure.BackendType;

/**
 * Anchor: Spring Integration's ZooKeeper {@code LeaderInitiator}, as the recipe it drives.
 * That initiator is a thin lifecycle around Curator's {@code LeaderSelector}: one selector per
 * candidate under {@code /spring-integration/leader/<role>}, the candidate id as the selector's
 * id, {@code autoRequeue()}, and a {@code takeLeadership} that calls {@code onGranted} and then
 * blocks until the selector is closed or interrupted. This adapter builds exactly that on
 * Curator, because the {@code spring-integration-zookeeper} artifact is not in the Maven
 * repository this build can reach; the wrapper adds one method call on the selector's thread,
 * so the hand-off, failover, load and herd of the recipe are the initiator's.
 */
final class CuratorSelectorAnchor implements BenchBackend {

    static final String TYPE = "curator-leaderselector";

    /** Where Spring Integration's initiator puts its elections by default. */
    static final String NAMESPACE = "/spring-integration/leader/";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BackendType backend() {
        return BackendType.ZOOKEEPER;
    }

    @Override
    public BenchServer start(Path workDir) throws IOException {
        return ZooKeeperServers.start().describedAs("; Curator " + CuratorAnchor.curatorVersion()
                + " LeaderSelector with autoRequeue, as Spring Integration's LeaderInitiator drives it (the initiator's own jar is not in the reachable Maven repository)");
    }

    @Override
    public Contenders connect(String address, Duration lease) {
        CuratorFramework client = CuratorAnchor.client(address, lease);
        return new Contenders() {
            @Override
            public Contender join(String election, String candidateId, LongConsumer granted) throws InterruptedException {
                CuratorAnchor.awaitConnected(client, address);
                LeaderSelector selector = new LeaderSelector(client, NAMESPACE + election, new LeaderSelectorListenerAdapter() {
                    @Override
                    public void takeLeadership(CuratorFramework framework) throws InterruptedException {
                        granted.accept(System.nanoTime());
                        // Leading lasts as long as this method: until close() interrupts it.
                        new CountDownLatch(1).await();
                    }
                });
                selector.setId(candidateId);
                selector.autoRequeue();
                selector.start();
                awaitQueued(selector, candidateId);
                return selector::close;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** Queued once its lock node is among the participants. */
    private static void awaitQueued(LeaderSelector selector, String candidateId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                for (Participant participant : selector.getParticipants()) {
                    if (participant.getId().equals(candidateId)) {
                        return;
                    }
                }
            }
            catch (InterruptedException ex) {
                throw ex;
            }
            catch (Exception ex) {
                // The election's parent node may not exist yet: ask again.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("LeaderSelector " + candidateId + " made no node");
            }
            Thread.sleep(5);
        }
    }

    @Override
    public Duration lease(Duration requested) {
        return requested;
    }
}
