package dev.leader.autoconfigure;

import java.lang.reflect.Method;
import java.util.function.Supplier;
import dev.leader.spring.LeaderOnly;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;
import org.springframework.util.function.SingletonSupplier;

/**
 * Applies {@link LeaderOnlyInterceptor} to methods and types annotated {@link LeaderOnly}:
 * where {@link LeaderOnlyAnnotations} finds one, on the method, a method it overrides or
 * implements, the class or a supertype, directly or through a composed annotation. Ordered
 * first among the advisors an auto-proxy creator applies, so that the guard wraps the method's
 * other advice (its transaction, for one).
 */
public final class LeaderOnlyAdvisor extends AbstractPointcutAdvisor {

    private final Supplier<LeaderOnlyInterceptor> interceptor;

    // One matcher instead of a union of Spring's annotation pointcuts: the same methods, found
    // by the lookup the interceptor uses, and a dozen fewer classes to load at start-up.
    private final Pointcut pointcut;

    /**
     * @param interceptor called once, when the first guarded bean is proxied: an application
     * without {@code @LeaderOnly} never loads the interceptor
     */
    public LeaderOnlyAdvisor(Supplier<LeaderOnlyInterceptor> interceptor, LeaderOnlyAnnotations annotations) {
        this.interceptor = SingletonSupplier.of(interceptor);
        StaticMethodMatcherPointcut pointcut = new StaticMethodMatcherPointcut() {

            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return annotations.isPresent(method, targetClass);
            }
        };
        // Most beans carry no @LeaderOnly: rejected by their class, their methods are not matched one by one.
        pointcut.setClassFilter(LeaderOnlyAnnotations::carries);
        this.pointcut = pointcut;
        // Outermost: a follower's call is skipped before the method's other advice runs (no
        // transaction begun, no retry, no cache lookup), whatever order the advisors were
        // registered in; the same order for all would leave it to registration.
        setOrder(Ordered.HIGHEST_PRECEDENCE);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return interceptor.get();
    }
}
