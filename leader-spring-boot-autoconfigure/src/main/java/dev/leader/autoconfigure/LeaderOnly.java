package dev.leader.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method only while this application leads the election; elsewhere the call is
 * skipped ({@code void}, {@code Optional.empty()} or {@code null}) or, with
 * {@link OnNotLeader#THROW}, refused with {@link NotLeaderException}. On a type, it guards every
 * public method. While a guarded call runs, {@link LeaderContext#current()} gives its term.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface LeaderOnly {

    /** The election; the default election ({@code leader.election}) when empty. */
    String value() default "";

    /** What a call on a non-leader does. */
    OnNotLeader onNotLeader() default OnNotLeader.SKIP;

    /** What a guarded call does when this application does not lead. */
    enum OnNotLeader {
        /** Return without running: {@code void}, {@code Optional.empty()} or {@code null}. */
        SKIP,
        /** Throw {@link NotLeaderException}. */
        THROW
    }
}
