package dev.leader.zookeeper;

import java.time.Duration;
import dev.leader.election.BackendStatus;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.OpenElections;

/**
 * Elections through one ZooKeeper session shared by every election of this process (see
 * {@link ZooKeeperSession}): the session's states become explicit calls on the elections.
 */
public final class ZooKeeperElectionBackend implements ElectionBackend {

    private final OpenElections<ZooKeeperElection> elections = new OpenElections<>();

    private final ZooKeeperSession session;

    /**
     * Opens the session in the background; a server that is down now is retried by the client.
     *
     * @throws IllegalArgumentException if the client cannot be built from {@code settings}
     */
    public ZooKeeperElectionBackend(ZooKeeperBackendSettings settings) {
        this.session = new ZooKeeperSession(settings, new ZooKeeperSession.Listener() {
            @Override
            public void connected() {
                elections.forEach(ZooKeeperElection::sessionConnected);
            }

            @Override
            public void suspended() {
                elections.forEach(ZooKeeperElection::sessionSuspended);
            }

            @Override
            public void expired() {
                elections.forEach(ZooKeeperElection::sessionExpired);
            }

            @Override
            public boolean isOpen() {
                return !elections.isClosed();
            }
        });
    }

    @Override
    public String type() {
        return "zookeeper";
    }

    @Override
    public Election election(String name, String candidateId) {
        return elections.open(name, () -> new ZooKeeperElection(name, candidateId, session, elections::remove));
    }

    /** The session timeout the server granted (it may clamp what was asked), once connected. */
    @Override
    public Duration lease() {
        return session.lease();
    }

    @Override
    public BackendStatus status() {
        return session.status();
    }

    @Override
    public void close() {
        elections.closeAll();
        session.close();
    }

    /** The session; for tests that inspect or break it. */
    ZooKeeperSession session() {
        return session;
    }
}
