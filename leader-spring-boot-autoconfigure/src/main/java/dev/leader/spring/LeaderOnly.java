package dev.leader.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method only while this application leads the election; elsewhere the call is
 * skipped or, with {@link OnNotLeader#THROW}, refused with {@link NotLeaderException}.
 * <ul>
 * <li>A skipped call returns what "nothing happened" means for its type: nothing for
 * {@code void}, {@code Optional.empty()}, a completed {@code CompletableFuture} (of
 * {@code null}) for a {@code CompletionStage}, {@code Mono.empty()} / {@code Flux.empty()} for
 * Reactor types, {@code null} for other objects. A primitive result with {@code SKIP} is refused
 * at start-up.</li>
 * <li>A call returning a {@code CompletionStage}, {@code Mono} or {@code Flux} is guarded for the
 * whole life of its result: a yield or shutdown waits until the stage completes or the publisher
 * terminates or is cancelled. A {@code Mono} or {@code Flux} is checked when subscribed, not when
 * the method is called, and each subscription runs the method again under the term current then;
 * the term is in the Reactor context under the key {@code Leadership.class}.</li>
 * <li>On a type it guards every public method. On a {@code Lifecycle} or {@code SmartLifecycle}
 * bean it binds the bean to the election instead: the bean is not started with the context, but
 * when this application is granted the election, and it is stopped on revoke, yield and
 * shutdown, before leadership is released.</li>
 * <li>It may be placed on an interface method, and used as a meta-annotation of your own
 * composed annotation.</li>
 * <li>Like every Spring AOP advice it applies to calls through the bean's proxy: a call from
 * another method of the same object (self-invocation) is not guarded. A {@code final},
 * {@code static} or {@code private} method cannot be proxied and is refused at start-up.</li>
 * </ul>
 * While a guarded call runs, {@link LeaderContext#current()} gives its term.
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface LeaderOnly {

    /**
     * The election; the default election ({@code leader.election}) when empty. May hold
     * {@code ${...}} placeholders, resolved against the environment.
     */
    String value() default "";

    /** What a call on a non-leader does. */
    OnNotLeader onNotLeader() default OnNotLeader.SKIP;

    /** What a guarded call does when this application does not lead. */
    enum OnNotLeader {
        /** Return without running (see the type's documentation for what each return type gets). */
        SKIP,
        /** Throw {@link NotLeaderException}; an asynchronous result completes with it instead. */
        THROW
    }
}
