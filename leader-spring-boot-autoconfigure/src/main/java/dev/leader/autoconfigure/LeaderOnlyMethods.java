package dev.leader.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;

/**
 * Finds every {@link LeaderOnly} method as beans are created: collects the election names (so
 * that their elections campaign from start-up, not from the first call) and refuses a skipped
 * method whose primitive result could not be skipped.
 */
final class LeaderOnlyMethods implements BeanPostProcessor {

    private final Set<String> names = ConcurrentHashMap.newKeySet();

    Set<String> names() {
        return names;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        if (type.getName().startsWith("org.springframework.")) {
            return bean;
        }
        ReflectionUtils.doWithMethods(type, method -> inspect(method, type, beanName),
                method -> !method.isBridge() && !method.isSynthetic() && method.getDeclaringClass() != Object.class);
        return bean;
    }

    private void inspect(Method method, Class<?> type, String beanName) {
        boolean onMethod = method.isAnnotationPresent(LeaderOnly.class);
        if (!onMethod && !(Modifier.isPublic(method.getModifiers()) && type.isAnnotationPresent(LeaderOnly.class))) {
            return;
        }
        LeaderOnly annotation = LeaderOnlyInterceptor.find(method, type);
        if (annotation == null) {
            return;
        }
        if (!annotation.value().isEmpty()) {
            names.add(annotation.value());
        }
        Class<?> result = method.getReturnType();
        if (annotation.onNotLeader() == LeaderOnly.OnNotLeader.SKIP && result.isPrimitive() && result != void.class) {
            throw new LeaderConfigurationException("@LeaderOnly", beanName + "." + method.getName(),
                    "@LeaderOnly method " + type.getName() + "." + method.getName() + "() returns " + result
                            + ", which cannot be skipped on a non-leader.",
                    "Return void, Optional or an object type, or use @LeaderOnly(onNotLeader = THROW).");
        }
    }
}
