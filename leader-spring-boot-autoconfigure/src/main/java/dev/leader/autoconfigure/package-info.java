/**
 * Spring Boot glue: {@code leader.*} properties, backend selection, the election registry,
 * application events, the {@link dev.leader.spring.LeaderOnly @LeaderOnly} guard and
 * start-up failure analysis.
 */
@NullMarked
package dev.leader.autoconfigure;

import org.jspecify.annotations.NullMarked;
