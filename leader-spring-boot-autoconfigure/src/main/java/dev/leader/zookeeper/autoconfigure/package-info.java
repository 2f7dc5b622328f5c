/**
 * Spring Boot configuration of the ZooKeeper backend: {@code leader.zookeeper.*}, or a
 * {@link dev.leader.zookeeper.autoconfigure.ZooKeeperConnectionDetails} bean (Testcontainers,
 * Docker Compose), mapped onto {@link dev.leader.zookeeper.ZooKeeperBackendSettings}.
 */
@NullMarked
package dev.leader.zookeeper.autoconfigure;

import org.jspecify.annotations.NullMarked;
