/**
 * Spring Boot configuration of the etcd backend: {@code leader.etcd.*}, or an
 * {@link dev.leader.etcd.autoconfigure.EtcdConnectionDetails} bean (Testcontainers, Docker
 * Compose), mapped onto {@link dev.leader.etcd.EtcdBackendSettings}.
 */
@NullMarked
package dev.leader.etcd.autoconfigure;

import org.jspecify.annotations.NullMarked;
