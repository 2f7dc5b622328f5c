package dev.leader.fault;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The three members of a replicated backend (a ZooKeeper ensemble, an etcd cluster). */
final class Members implements AutoCloseable {

    private final List<ServerProcess> members;

    Members(List<ServerProcess> members) {
        this.members = List.copyOf(members);
    }

    List<ServerProcess> all() {
        return members;
    }

    void start() throws IOException {
        for (ServerProcess member : members) {
            member.start();
        }
        for (ServerProcess member : members) {
            member.awaitAccepting();
        }
    }

    ServerProcess random(Random random) {
        return members.get(random.nextInt(members.size()));
    }

    void crash() {
        members.forEach(ServerProcess::kill);
    }

    /** Kills a majority, chosen at random: the survivor can no longer commit anything. */
    void loseQuorum(Random random) {
        List<ServerProcess> shuffled = new ArrayList<>(members);
        Collections.shuffle(shuffled, random);
        shuffled.subList(0, members.size() / 2 + 1).forEach(ServerProcess::kill);
    }

    void recover() throws IOException {
        List<ServerProcess> restarted = members.stream().filter(m -> !m.alive()).toList();
        for (ServerProcess member : restarted) {
            member.start();
        }
        for (ServerProcess member : restarted) {
            member.awaitAccepting();
        }
    }

    @Override
    public void close() {
        crash();
    }
}
