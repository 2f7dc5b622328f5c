/**
 * Spring Boot configuration of the Redis backend: {@code leader.redis.*}, or the application's
 * own Spring Data Redis connection, mapped onto {@link dev.leader.redis.RedisBackendSettings}.
 */
@NullMarked
package dev.leader.redis.autoconfigure;

import org.jspecify.annotations.NullMarked;
