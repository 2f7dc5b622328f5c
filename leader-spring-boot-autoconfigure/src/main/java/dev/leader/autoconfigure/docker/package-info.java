/**
 * Spring Boot Docker Compose support: ZooKeeper and etcd services of a {@code compose.yaml}
 * become the connection details of the ZooKeeper and etcd backends, as Boot's own services do for
 * Redis (which the Redis backend reuses) and JDBC databases. Loaded only when
 * {@code spring-boot-docker-compose} is on the class path.
 */
@NullMarked
package dev.leader.autoconfigure.docker;

import org.jspecify.annotations.NullMarked;
