package dev.leader.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;

import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;

/**
 * The elections one {@link ScaleCandidate} JVM opens: through our {@link ElectionBackend}, through
 * the Spring registry with leadership spreading on ({@link SpreadingApplication}), or as Curator
 * {@code LeaderLatch}es on one client (the anchor).
 */
final class ScaleElections implements AutoCloseable {

    private final Function<String, BooleanSupplier> opener;

    private final AutoCloseable resource;

    private final List<BooleanSupplier> leads = new ArrayList<>();

    private ScaleElections(Function<String, BooleanSupplier> opener, AutoCloseable resource) {
        this.opener = opener;
        this.resource = resource;
    }

    /** Our backend as an application without Spring uses it: one election per name, started at once. */
    static ScaleElections ours(ElectionBackend backend, String candidateId) {
        return new ScaleElections(name -> {
            Election election = backend.election(name, candidateId);
            election.start();
            return election::isLeader;
        }, backend);
    }

    /** Our backend behind the Spring registry, {@code leader.spread.instances} set: the only way to the spreading. */
    static ScaleElections spreading(ElectionBackend backend, String candidateId, int instances) {
        SpreadingApplication application = SpreadingApplication.start(backend, candidateId, instances);
        return new ScaleElections(name -> application.registry().election(name)::isLeader, application);
    }

    /** Curator's {@code LeaderLatch}, all latches on one client (one session), as an application would share it. */
    static ScaleElections curator(String address, Duration lease, String candidateId) {
        CuratorFramework client = CuratorAnchor.client(address, lease);
        return new ScaleElections(name -> {
            LeaderLatch latch = new LeaderLatch(client, "/scale/" + name, candidateId);
            try {
                latch.start();
            }
            catch (Exception ex) {
                throw new IllegalStateException("LeaderLatch " + name + " did not start", ex);
            }
            return latch::hasLeadership;
        }, client::close);
    }

    /** Starts campaigning in one more election; returns without waiting for the server. */
    void open(String name) {
        leads.add(opener.apply(name));
    }

    /** The indexes (in opening order) of the elections this JVM leads now. */
    BitSet leading() {
        BitSet leading = new BitSet(leads.size());
        for (int i = 0; i < leads.size(); i++) {
            if (leads.get(i).getAsBoolean()) {
                leading.set(i);
            }
        }
        return leading;
    }

    @Override
    public void close() {
        try {
            resource.close();
        }
        catch (Exception ex) {
            throw new IllegalStateException("closing the elections failed", ex);
        }
    }
}
