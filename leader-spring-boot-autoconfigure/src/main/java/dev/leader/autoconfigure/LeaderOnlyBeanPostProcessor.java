package dev.leader.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import dev.leader.spring.LeaderOnly;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.Lifecycle;
import org.springframework.util.ReflectionUtils;

/**
 * Finds every {@link dev.leader.spring.LeaderOnly @LeaderOnly} as beans are created: collects
 * the election names (so that their elections campaign from start-up, not from the first call)
 * and the lifecycle beans bound to an election, and refuses at start-up what the guard could
 * not honour: a method that cannot be proxied ({@code final}, {@code static}, {@code private})
 * and a skipped method whose primitive result could not be skipped.
 */
final class LeaderOnlyBeanPostProcessor implements BeanPostProcessor {

    private final LeaderOnlyAnnotations annotations;

    private final Set<String> names = ConcurrentHashMap.newKeySet();

    private final Map<Lifecycle, String> lifecycles = new ConcurrentHashMap<>();

    LeaderOnlyBeanPostProcessor(LeaderOnlyAnnotations annotations) {
        this.annotations = annotations;
    }

    /** The election names used by {@code @LeaderOnly}, resolved. */
    Set<String> names() {
        return names;
    }

    /** Lifecycle beans annotated {@code @LeaderOnly}, with their election's name. */
    Map<Lifecycle, String> lifecycles() {
        return lifecycles;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        if (!LeaderOnlyAnnotations.carries(type)) {
            return bean;
        }
        LeaderOnlyAnnotations.Found onType = annotations.findOnType(type);
        boolean bound = bean instanceof Lifecycle && onType != null && LeaderOnlyInterceptor.isBoundLifecycle(type, onType);
        if (bound && onType != null) {
            lifecycles.put((Lifecycle) bean, onType.election());
            if (!onType.election().isEmpty()) {
                names.add(onType.election());
            }
        }
        ReflectionUtils.doWithMethods(type, method -> inspect(method, type, beanName, bound),
                method -> !method.isBridge() && !method.isSynthetic() && method.getDeclaringClass() != Object.class);
        return bean;
    }

    private void inspect(Method method, Class<?> type, String beanName, boolean boundLifecycle) {
        LeaderOnlyAnnotations.Found found = annotations.find(method, type);
        int modifiers = method.getModifiers();
        if (found == null || found.onType() && (boundLifecycle || !Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers)
                || LeaderOnlyInterceptor.isObjectMethod(method))) {
            return;
        }
        if (Modifier.isFinal(modifiers) || Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers)) {
            throw refused(type, method, beanName, "is " + Modifier.toString(modifiers & (Modifier.FINAL | Modifier.STATIC
                    | Modifier.PRIVATE)) + " and cannot be proxied, so it would run unguarded",
                    "Make it a non-final, non-static method that is public or package-private, and call it through the bean.");
        }
        if (!found.election().isEmpty()) {
            names.add(found.election());
        }
        Class<?> result = method.getReturnType();
        if (found.onNotLeader() == LeaderOnly.OnNotLeader.SKIP && result.isPrimitive() && result != void.class) {
            throw refused(type, method, beanName, "returns " + result + ", which cannot be skipped on a non-leader",
                    "Return void, Optional, a CompletionStage, a Mono/Flux or an object type, or use @LeaderOnly(onNotLeader = THROW).");
        }
    }

    private static LeaderConfigurationException refused(Class<?> type, Method method, String beanName, String why, String action) {
        return new LeaderConfigurationException("@LeaderOnly", beanName + "." + method.getName(),
                "@LeaderOnly method " + type.getName() + "." + method.getName() + "() " + why + ".", action);
    }
}
