package dev.leader.fault;

import java.io.IOException;
import java.util.EnumSet;
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
        return EnumSet.allOf(FaultKind.class);
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
