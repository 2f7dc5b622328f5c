/**
 * ZooKeeper backend: the ephemeral-sequential election recipe. Each candidate owns one
 * protected {@code EPHEMERAL_SEQUENTIAL} node under {@code <root>/<election>/}, the lowest
 * sequence leads, and each follower watches only its predecessor. Followers learn who leads from
 * the {@link dev.leader.zookeeper.LeaderRecord} a leader writes into the election node's data once
 * granted, and watch that record, not the leader's node: a change of leader costs each follower one
 * short read instead of a list of every candidate (issue 21). The successor's own watch on its
 * predecessor, not the record, makes it lead. A follower of an earlier version does not read the
 * record, and a leader of an earlier version does not write one: then the followers of this version
 * read the first node's data when they list the candidates, and learn of that leader's end only
 * from its successor's record.
 * <p>
 * Cost per application, not per election (issue 20): each candidate's calls run in order on its
 * own {@link dev.leader.election.SerialLane}, and the lanes share the session's few threads; one
 * confirmation per renewal interval renews every leader of the session ({@link
 * dev.leader.zookeeper.SharedRenewal}).
 */
@NullMarked
package dev.leader.zookeeper;

import org.jspecify.annotations.NullMarked;
