package dev.leader.bench.guard;

import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/** The Boot app of the guard benchmark: the starter's auto-configuration, the local backend. */
@SpringBootApplication
public class GuardApplication {

    // An infrastructure advisor, like @LeaderOnly's: without AspectJ on the class path the only
    // auto-proxy creator applies nothing else, and ProxiedJob would run unproxied.
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor proceedOnlyAdvisor() {
        MethodInterceptor proceed = invocation -> invocation.proceed();
        return new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(Proxied.class), proceed);
    }
}
