package dev.leader.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.lang.reflect.Method;
import dev.leader.spring.LeaderOnly;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * At build time, registers the methods of beans that carry {@code @LeaderOnly} (on the method, a
 * method it overrides, or its class) for reflection, since the guard reads their annotations when
 * they are first called.
 */
final class LeaderOnlyAotProcessor implements BeanRegistrationAotProcessor {

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> type = registeredBean.getBeanClass();
        List<Method> guarded = new ArrayList<>();
        boolean onType = AnnotatedElementUtils.hasAnnotation(type, LeaderOnly.class);
        ReflectionUtils.doWithMethods(type, method -> {
            if (onType || AnnotatedElementUtils.hasAnnotation(method, LeaderOnly.class)) {
                guarded.add(method);
            }
        }, method -> method.getDeclaringClass() != Object.class);
        if (guarded.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> guarded.forEach(
                method -> LeaderRuntimeHints.registerGuardedMethod(generationContext.getRuntimeHints(), method));
    }
}
