/**
 * What applications use: {@link dev.leader.spring.LeaderOnly @LeaderOnly} on methods and
 * lifecycle beans, {@link dev.leader.spring.LeaderContext} for the term of a guarded call, the
 * {@link dev.leader.spring.LeaderEvent application events} of every transition, and the
 * {@link dev.leader.spring.ElectionRegistry} of the application's elections. The machinery that
 * applies them (advisor, interceptor, bean post-processor, configuration) lives in
 * {@code dev.leader.autoconfigure} and is not for direct use.
 */
@NullMarked
package dev.leader.spring;

import org.jspecify.annotations.NullMarked;
