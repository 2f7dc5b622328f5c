/**
 * Testcontainers service connections: {@code @ServiceConnection} on a ZooKeeper or etcd
 * container gives the leader backend its address. (Redis containers work through Spring
 * Boot's own Redis service connection, which the Redis backend reuses.)
 */
@NullMarked
package dev.leader.test.testcontainers;

import org.jspecify.annotations.NullMarked;
