package dev.leader.autoconfigure;

import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/** Applies {@link LeaderOnlyInterceptor} to methods and types annotated {@link LeaderOnly}. */
public final class LeaderOnlyAdvisor extends AbstractPointcutAdvisor {

    private final LeaderOnlyInterceptor interceptor;

    private final Pointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(LeaderOnly.class, true))
            .union(AnnotationMatchingPointcut.forMethodAnnotation(LeaderOnly.class));

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
