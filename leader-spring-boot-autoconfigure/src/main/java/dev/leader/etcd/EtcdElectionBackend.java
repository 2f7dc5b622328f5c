package dev.leader.etcd;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import dev.leader.election.BackendStatus;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.OpenElections;
import dev.leader.election.SerialLanes;
import org.jspecify.annotations.Nullable;

/**
 * Elects through an etcd v3 cluster, spoken to through its JSON gateway with the JDK's HTTP
 * client. One backend per process; its elections share the HTTP client, one lease
 * ({@link SharedLease}) kept alive from the lanes' timer, one watch stream for deletions under
 * the prefix ({@link PrefixWatch}), and a few workers on which each election's steps run in
 * order ({@link SerialLanes}): the threads, the streams and the requests at rest do not grow
 * with the number of elections.
 */
public final class EtcdElectionBackend implements ElectionBackend {

    /** How many election steps (each a blocking call to etcd) may run at once. */
    static final int LANE_WORKERS = 4;

    private final EtcdBackendSettings settings;

    private final EtcdHttp http;

    private final EtcdKv kv;

    private final SerialLanes lanes = new SerialLanes("leader-etcd", LANE_WORKERS);

    private final SharedLease shared;

    private final PrefixWatch watch;

    private final @Nullable ScheduledFuture<?> keepAlives;

    private final OpenElections<EtcdElection> elections = new OpenElections<>();

    /**
     * The open elections by name, for news of the lease and the watch: unlike {@link #elections},
     * an election stays here until its own close is done, so a leader waiting its turn in a
     * backend's close is still renewed.
     */
    private final ConcurrentMap<String, EtcdElection> byName = new ConcurrentHashMap<>();

    private volatile boolean watchStarted;

    private volatile boolean closing;

    public EtcdElectionBackend(EtcdBackendSettings settings) {
        this.settings = settings;
        this.http = new EtcdHttp(settings);
        this.kv = new EtcdKv(http, settings.requestTimeout());
        this.shared = new SharedLease(kv, settings, lanes.lane(), new SharedLease.Holders() {

            @Override
            public void renewed(long leaseId, long sendNanos) {
                byName.values().forEach(election -> election.leaseRenewed(leaseId, sendNanos));
            }

            @Override
            public void lost(long leaseId) {
                byName.values().forEach(election -> election.leaseLost(leaseId));
            }

            @Override
            public void replaced(long leaseId) {
                byName.values().forEach(election -> election.leaseReplaced(leaseId));
            }
        });
        this.watch = new PrefixWatch(http, settings, lanes, new PrefixWatch.Deletions() {

            @Override
            public void deleted(String key) {
                int slash = key.lastIndexOf('/');
                if (slash > settings.prefix().length()) {
                    EtcdElection election = byName.get(key.substring(settings.prefix().length(), slash));
                    if (election != null) {
                        election.readAgain();
                    }
                }
            }

            @Override
            public void readAgain() {
                byName.values().forEach(EtcdElection::readAgain);
            }
        });
        this.keepAlives = lanes.everyOnTimer(settings.keepAliveInterval(), shared::beat);
    }

    public EtcdBackendSettings settings() {
        return settings;
    }

    @Override
    public String type() {
        return "etcd";
    }

    @Override
    public Election election(String name, String candidateId) {
        startWatch();
        return elections.open(name, () -> {
            EtcdElection[] self = new EtcdElection[1];
            EtcdElection election = new EtcdElection(name, candidateId, settings, kv, shared, watch, lanes.lane(),
                    () -> closing, () -> {
                        byName.remove(name, self[0]);
                        elections.remove(self[0]);
                    });
            self[0] = election;
            byName.put(name, election);
            return election;
        });
    }

    /** The TTL etcd really grants: the lease rounded up to whole seconds. */
    @Override
    public Duration lease() {
        return Duration.ofSeconds(settings.ttlSeconds());
    }

    @Override
    public BackendStatus status() {
        return http.status();
    }

    /** For tests: the lease every candidate key of this backend is bound to. */
    SharedLease sharedLease() {
        return shared;
    }

    /** For tests: whether the shared watch stream is registered with etcd now. */
    boolean watching() {
        return watch.isRegistered();
    }

    @Override
    public void close() {
        // Every election stops believing first; then the lease's revoke deletes all their keys at once.
        closing = true;
        elections.closeAll();
        if (keepAlives != null) {
            keepAlives.cancel(false);
        }
        watch.close();
        shared.close();
        lanes.close();
        http.close();
    }

    private synchronized void startWatch() {
        if (!watchStarted) {
            watchStarted = true;
            watch.start();
        }
    }
}
