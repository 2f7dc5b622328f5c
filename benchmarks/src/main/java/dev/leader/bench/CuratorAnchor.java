package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.retry.ExponentialBackoffRetry;

import dev.leader.autoconfigure.BackendType;

/** Anchor: Curator's {@code LeaderLatch} on the same kind of ZooKeeper server, session = lease. */
final class CuratorAnchor implements BenchBackend {

    static final String TYPE = "curator-leaderlatch";

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
        return ZooKeeperServers.start().describedAs("; Curator " + curatorVersion());
    }

    /** A started Curator client whose session lasts the lease, as our ZooKeeper backend's does. */
    static CuratorFramework client(String address, Duration lease) {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(address)
                .sessionTimeoutMs((int) lease.toMillis()).connectionTimeoutMs(15_000)
                .retryPolicy(new ExponentialBackoffRetry(100, 10)).build();
        client.start();
        return client;
    }

    static void awaitConnected(CuratorFramework client, String address) throws InterruptedException {
        if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Curator did not connect to " + address);
        }
    }

    static String curatorVersion() {
        String version = LeaderLatch.class.getPackage().getImplementationVersion();
        return version != null ? version : "5.9.0";
    }

    @Override
    public Contenders connect(String address, Duration lease) {
        CuratorFramework client = client(address, lease);
        return new Contenders() {
            @Override
            public Contender join(String election, String candidateId, LongConsumer granted) throws InterruptedException {
                awaitConnected(client, address);
                LeaderLatch latch = new LeaderLatch(client, "/bench/" + election, candidateId);
                latch.addListener(new LeaderLatchListener() {
                    @Override
                    public void isLeader() {
                        granted.accept(System.nanoTime());
                    }

                    @Override
                    public void notLeader() {
                    }
                });
                try {
                    latch.start();
                }
                catch (Exception ex) {
                    throw new IllegalStateException("LeaderLatch did not start", ex);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                // Queued once its sequential node exists.
                while (latch.getOurPath() == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("LeaderLatch " + candidateId + " made no node");
                    }
                    Thread.sleep(5);
                }
                return () -> {
                    try {
                        latch.close();
                    }
                    catch (IOException ex) {
                        throw new IllegalStateException("LeaderLatch close failed", ex);
                    }
                };
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    @Override
    public Duration lease(Duration requested) {
        return requested;
    }
}
