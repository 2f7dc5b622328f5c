package dev.leader.bench.guard;

import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The Boot app of the guard benchmark: the starter's auto-configuration, the local backend. */
@SpringBootApplication
public class GuardApplication {

    @Bean
    static Advisor proceedOnlyAdvisor() {
        MethodInterceptor proceed = invocation -> invocation.proceed();
        return new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(Proxied.class), proceed);
    }
}
