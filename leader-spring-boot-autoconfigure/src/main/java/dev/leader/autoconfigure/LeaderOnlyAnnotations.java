package dev.leader.autoconfigure;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;
import dev.leader.spring.LeaderOnly;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Where a method's {@link LeaderOnly} comes from: the method itself, the method it implements or
 * overrides (interfaces included), then its class; directly or through a composed annotation.
 * The election name's {@code ${...}} placeholders are resolved against the environment.
 */
public final class LeaderOnlyAnnotations {

    /** Per class, whether {@link #search} found a {@code @LeaderOnly} anywhere in its hierarchy. */
    private static final ClassValue<Boolean> CARRIERS = new ClassValue<>() {

        @Override
        protected Boolean computeValue(Class<?> type) {
            return search(type);
        }
    };

    private final PropertyResolver placeholders;

    public LeaderOnlyAnnotations(PropertyResolver placeholders) {
        this.placeholders = placeholders;
    }

    /**
     * Whether {@code type} carries {@code @LeaderOnly}: on itself or a supertype, or on a method
     * of any of them. Neither the guard's pointcut nor the start-up checks look at the methods of
     * a type that does not, one by one: most of an application's beans carry none. Spring's own
     * classes are rejected by name; the answer for any other class is worked out once.
     */
    static boolean carries(Class<?> type) {
        return !type.getName().startsWith("org.springframework.") && CARRIERS.get(type);
    }

    // A superset of what find() can find: an annotation found on a method through the type
    // hierarchy is declared directly on a method of a superclass or an interface.
    private static boolean search(Class<?> type) {
        if (AnnotatedElementUtils.hasAnnotation(type, LeaderOnly.class)) {
            return true;
        }
        Set<Class<?>> types = new LinkedHashSet<>(ClassUtils.getAllInterfacesForClassAsSet(type));
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            types.add(current);
        }
        for (Class<?> current : types) {
            for (Method method : ReflectionUtils.getDeclaredMethods(current)) {
                if (AnnotatedElementUtils.isAnnotated(method, LeaderOnly.class)) {
                    return true;
                }
            }
        }
        return false;
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
