package dev.leader.fault;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** A backend of three members: every fault applies, quorum loss included. */
abstract class ReplicatedBackend implements Backend {

    private final Members members;

    ReplicatedBackend(Members members) {
        this.members = members;
    }

    @Override
    public void start() throws IOException {
        members.start();
    }

    @Override
    public Set<FaultKind> faults() {
        return EnumSet.of(FaultKind.SIGTERM_LEADER, FaultKind.KILL_LEADER, FaultKind.PAUSE_LEADER, FaultKind.BACKEND_RESTART,
                FaultKind.QUORUM_LOSS, FaultKind.NETWORK_CUT, FaultKind.CLOCK_JUMP, FaultKind.SERVER_PAUSE, FaultKind.DUPLICATE_ID);
    }

    @Override
    public ServerProcess pauseServer(Random random) throws IOException {
        ServerProcess member = random.nextBoolean() ? leaderMember().orElseGet(() -> members.random(random)) : members.random(random);
        member.signal("STOP");
        return member;
    }

    /** The member that leads the ensemble or cluster now, if it can be told. */
    abstract Optional<ServerProcess> leaderMember();

    Members members() {
        return members;
    }

    @Override
    public void crash() {
        members.crash();
    }

    @Override
    public void loseQuorum(Random random) {
        members.loseQuorum(random);
    }

    @Override
    public void recover() throws IOException {
        members.recover();
    }

    @Override
    public void close() {
        members.close();
    }
}
