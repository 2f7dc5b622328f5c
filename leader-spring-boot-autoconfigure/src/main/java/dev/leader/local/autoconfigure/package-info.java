/**
 * Spring Boot configuration of the local backend: {@code leader.local.*} mapped onto
 * {@link dev.leader.local.LocalElectionBackend}.
 */
@NullMarked
package dev.leader.local.autoconfigure;

import org.jspecify.annotations.NullMarked;
