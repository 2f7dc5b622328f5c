package dev.leader.fault;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import dev.leader.testsupport.ServerProcess;

/** A backend of three members (a ZooKeeper ensemble, an etcd cluster): every fault applies, quorum loss included. */
abstract class ReplicatedBackend implements Backend {

    @Override
    public Set<FaultKind> faults() {
        return EnumSet.of(FaultKind.SIGTERM_LEADER, FaultKind.KILL_LEADER, FaultKind.PAUSE_LEADER, FaultKind.BACKEND_RESTART,
                FaultKind.QUORUM_LOSS, FaultKind.NETWORK_CUT, FaultKind.CLOCK_JUMP, FaultKind.SERVER_PAUSE, FaultKind.DUPLICATE_ID);
    }

    /** The members, as the starter hands them out. */
    abstract List<ServerProcess> members();

    /** The member that leads the ensemble or cluster now; -1 when it cannot be told. */
    abstract int leaderMember();

    /** Starts every member that is down again, on its old data, and waits until it accepts. */
    abstract void restartStopped() throws IOException;

    @Override
    public ServerProcess pauseServer(Random random) throws IOException {
        int leader = random.nextBoolean() ? leaderMember() : -1;
        ServerProcess member = members().get(leader >= 0 ? leader : random.nextInt(members().size()));
        member.pause();
        return member;
    }

    @Override
    public void crash() {
        members().forEach(ServerProcess::kill9);
    }

    /** Kills a majority, chosen at random: the survivor can no longer commit anything. */
    @Override
    public void loseQuorum(Random random) {
        List<ServerProcess> shuffled = new ArrayList<>(members());
        Collections.shuffle(shuffled, random);
        shuffled.subList(0, shuffled.size() / 2 + 1).forEach(ServerProcess::kill9);
    }

    @Override
    public void recover() throws IOException {
        restartStopped();
    }
}
