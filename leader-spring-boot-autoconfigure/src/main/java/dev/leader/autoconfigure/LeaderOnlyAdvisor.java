package dev.leader.autoconfigure;

import dev.leader.spring.LeaderOnly;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/** Applies {@link LeaderOnlyInterceptor} to methods and types annotated {@link LeaderOnly}. */
public final class LeaderOnlyAdvisor extends AbstractPointcutAdvisor {

    private final LeaderOnlyInterceptor interceptor;

    // Inherited lookups: on a superclass or interface, its methods, or a composed annotation.
    private final Pointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(LeaderOnly.class, true))
            .union(new AnnotationMatchingPointcut(null, LeaderOnly.class, true));

    public LeaderOnlyAdvisor(LeaderOnlyInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return interceptor;
    }
}
