/**
 * ZooKeeper backend: the ephemeral-sequential election recipe. Each candidate owns one
 * protected {@code EPHEMERAL_SEQUENTIAL} node under {@code <root>/<election>/}, the lowest
 * sequence leads, and each follower watches only its predecessor.
 */
@NullMarked
package dev.leader.zookeeper;

import org.jspecify.annotations.NullMarked;
