package dev.leader.etcd;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import dev.leader.election.BackendStatus;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.OpenElections;

/**
 * Elects through an etcd v3 cluster, spoken to through its JSON gateway with the JDK's HTTP
 * client. One backend per process; its elections share the HTTP client and a small scheduler
 * for keep-alives.
 */
public final class EtcdElectionBackend implements ElectionBackend {

    private final EtcdBackendSettings settings;

    private final EtcdHttp http;

    private final EtcdKv kv;

    private final ScheduledExecutorService scheduler;

    private final OpenElections<EtcdElection> elections = new OpenElections<>();

    public EtcdElectionBackend(EtcdBackendSettings settings) {
        this.settings = settings;
        this.http = new EtcdHttp(settings);
        this.kv = new EtcdKv(http, settings.requestTimeout());
        this.scheduler = Executors.newScheduledThreadPool(2, task -> {
            Thread t = new Thread(task, "leader-etcd-keepalive");
            t.setDaemon(true);
            return t;
        });
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
        return elections.open(name, () -> new EtcdElection(name, candidateId, settings, kv, scheduler));
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

    @Override
    public void close() {
        elections.closeAll();
        scheduler.shutdownNow();
        http.close();
    }
}
