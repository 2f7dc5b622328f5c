/**
 * Spring Boot configuration of the JDBC backend: {@code leader.jdbc.*} mapped onto
 * {@link dev.leader.jdbc.JdbcBackendSettings}, on connections of its own to the application's
 * database (Boot's JDBC connection details, so {@code spring.datasource.*}, {@code @ServiceConnection}
 * and Docker Compose work unchanged) or to {@code leader.jdbc.url}.
 */
@NullMarked
package dev.leader.jdbc.autoconfigure;

import org.jspecify.annotations.NullMarked;
