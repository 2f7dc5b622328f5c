package dev.leader.autoconfigure;

import java.lang.reflect.Method;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.reactive.ReactiveFlowKt;
import kotlinx.coroutines.reactor.ReactorFlowKt;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.MethodParameter;
import reactor.core.publisher.Flux;

/**
 * Guards for Kotlin methods returning a {@code Flow}; loaded only when kotlinx-coroutines-reactor
 * is on the class path. A Flow is cold like a Flux: it is guarded as one, collected once per
 * collection, with the term in the collector's Reactor context (the coroutine's
 * {@code ReactorContext}). Suspend functions need nothing of their own: Spring runs them as
 * publishers, which the Reactor guards cover.
 */
final class KotlinResults {

    private KotlinResults() {
    }

    static boolean isFlow(Class<?> type) {
        return Flow.class.isAssignableFrom(type);
    }

    /** Whether a suspend function returns a Flow, as Kotlin declares it. */
    static boolean returnsFlow(Method suspendFunction) {
        return isFlow(new MethodParameter(suspendFunction, -1).getParameterType());
    }

    @SuppressWarnings("unchecked")
    static Flow<?> deferred(LeaderOnlyInterceptor.Guard guard, MethodInvocation invocation, LeaderOnlyInterceptor interceptor) {
        Publisher<?> guarded = ReactorResults.deferred(guard, invocation, interceptor,
                result -> ReactorFlowKt.asFlux((Flow<Object>) result));
        return ReactiveFlowKt.asFlow(guarded);
    }

    static Flow<?> skipped(@Nullable RuntimeException refused) {
        return ReactiveFlowKt.asFlow(refused != null ? Flux.error(refused) : Flux.empty());
    }
}
