package dev.leader.autoconfigure;

import java.lang.reflect.Method;
import dev.leader.spring.LeaderOnly;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.PropertyResolver;

/**
 * Where a method's {@link LeaderOnly} comes from: the method itself, the method it implements or
 * overrides (interfaces included), then its class; directly or through a composed annotation.
 * The election name's {@code ${...}} placeholders are resolved against the environment.
 */
public final class LeaderOnlyAnnotations {

    private final PropertyResolver placeholders;

    public LeaderOnlyAnnotations(PropertyResolver placeholders) {
        this.placeholders = placeholders;
    }

    /**
     * Whether {@code type} may carry {@code @LeaderOnly}: not one of Spring's own classes, which
     * make up most of an application's beans. Neither the guard's pointcut nor the start-up
     * checks look further at those.
     */
    static boolean mayCarry(Class<?> type) {
        return !type.getName().startsWith("org.springframework.");
    }

    /** The resolved annotation: its election name (empty for the default) and mode. */
    public record Found(String election, LeaderOnly.OnNotLeader onNotLeader, boolean onType) {
    }

    /** The annotation that applies to {@code method} when called on a {@code targetClass}, if any. */
    public @Nullable Found find(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        LeaderOnly onMethod = AnnotatedElementUtils.findMergedAnnotation(specific, LeaderOnly.class);
        if (onMethod != null) {
            return found(onMethod, false);
        }
        LeaderOnly onType = AnnotatedElementUtils.findMergedAnnotation(targetClass, LeaderOnly.class);
        return onType != null ? found(onType, true) : null;
    }

    /** Whether {@link #find} would find an annotation, without building it. */
    boolean isPresent(Method method, Class<?> targetClass) {
        return AnnotatedElementUtils.hasAnnotation(AopUtils.getMostSpecificMethod(method, targetClass), LeaderOnly.class)
                || AnnotatedElementUtils.hasAnnotation(targetClass, LeaderOnly.class);
    }

    /** The annotation on {@code type} itself (or its supertypes), if any. */
    public @Nullable Found findOnType(Class<?> type) {
        LeaderOnly onType = AnnotatedElementUtils.findMergedAnnotation(type, LeaderOnly.class);
        return onType != null ? found(onType, true) : null;
    }

    private Found found(LeaderOnly annotation, boolean onType) {
        return new Found(placeholders.resolveRequiredPlaceholders(annotation.value()), annotation.onNotLeader(), onType);
    }
}
