/**
 * Spring Boot configuration of the LAN backend: {@code leader.lan.*} mapped onto
 * {@link dev.leader.lan.LanBackendSettings}.
 */
@NullMarked
package dev.leader.lan.autoconfigure;

import org.jspecify.annotations.NullMarked;
