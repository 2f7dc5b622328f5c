package dev.leader.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the application's backend ({@code leader.backend}, or the one inferred from the
 * properties that are set) is the one with the id {@link #value()}; the conditions report says
 * why.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnBackendCondition.class)
public @interface ConditionalOnBackend {

    /** A {@link BackendType#id()}, e.g. {@code zookeeper}. */
    String value();
}
