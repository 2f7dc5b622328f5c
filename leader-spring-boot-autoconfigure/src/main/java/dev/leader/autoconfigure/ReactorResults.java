package dev.leader.autoconfigure;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import dev.leader.election.Admission;
import dev.leader.election.Leadership;
import dev.leader.spring.LeaderContext;
import io.micrometer.observation.Observation;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Guards for methods returning a {@link Mono} or {@link Flux}; loaded only when Reactor is on
 * the class path. The guard is checked when the result is subscribed, not when the method is
 * called (Spring's reactive {@code @Scheduled} calls a method once and subscribes its publisher
 * on every tick): each subscription is admitted on its own, runs the method under the term
 * current then, and holds its admission until the publisher terminates or is cancelled.
 */
final class ReactorResults {

    private ReactorResults() {
    }

    static boolean isMono(Class<?> type) {
        return Mono.class.isAssignableFrom(type);
    }

    static boolean isFlux(Class<?> type) {
        return Flux.class.isAssignableFrom(type);
    }

    static Publisher<?> deferred(LeaderOnlyInterceptor.Guard guard, MethodInvocation invocation,
            LeaderOnlyInterceptor interceptor) {
        return deferred(guard, invocation, interceptor, ReactorResults::asPublisher);
    }

    /**
     * As {@link #deferred(LeaderOnlyInterceptor.Guard, MethodInvocation, LeaderOnlyInterceptor)},
     * for a method whose result {@code toPublisher} turns into a publisher (a Kotlin Flow).
     */
    static Publisher<?> deferred(LeaderOnlyInterceptor.Guard guard, MethodInvocation invocation,
            LeaderOnlyInterceptor interceptor, Function<Object, Publisher<Object>> toPublisher) {
        boolean mono = guard.kind() == LeaderOnlyInterceptor.ResultKind.MONO;
        // Every subscription proceeds through its own copy of the invocation, so that advice
        // after ours (a transaction, say) runs again each time.
        MethodInvocation template = invocation instanceof ProxyMethodInvocation proxied ? proxied.invocableClone() : invocation;
        if (mono) {
            return Mono.defer(() -> Mono.from(admitted(guard, template, interceptor, true, toPublisher)));
        }
        return Flux.defer(() -> admitted(guard, template, interceptor, false, toPublisher));
    }

    @SuppressWarnings("unchecked")
    private static Publisher<Object> asPublisher(Object result) {
        return (Publisher<Object>) result;
    }

    @SuppressWarnings("unchecked")
    private static Publisher<Object> admitted(LeaderOnlyInterceptor.Guard guard, MethodInvocation template,
            LeaderOnlyInterceptor interceptor, boolean mono, Function<Object, Publisher<Object>> toPublisher) {
        Optional<Admission> admitted = guard.election().admit();
        if (admitted.isEmpty()) {
            return toPublisher.apply(Objects.requireNonNull(interceptor.notLeader(guard, template)));
        }
        Admission admission = admitted.get();
        Leadership term = admission.leadership();
        Observation call = interceptor.observe(guard, guard.ran()).start();
        Object result;
        try (Observation.Scope observed = call.openScope(); LeaderContext.Scope scope = LeaderContext.open(term)) {
            MethodInvocation invocation = template instanceof ProxyMethodInvocation proxied ? proxied.invocableClone() : template;
            result = invocation.proceed();
        }
        catch (Throwable ex) {
            LeaderOnlyInterceptor.ended(call, admission::close, ex);
            return mono ? Mono.error(ex) : Flux.error(ex);
        }
        if (result == null) {
            LeaderOnlyInterceptor.ended(call, admission::close, null);
            return mono ? Mono.empty() : Flux.empty();
        }
        // A Kotlin suspend function's joinpoint answers with a Mono or a Flux whatever it declares.
        Publisher<Object> source = toPublisher.apply(result);
        if (mono) {
            return Mono.from(source).doOnError(call::error).doFinally(signal -> LeaderOnlyInterceptor.ended(call, admission::close, null))
                    .contextWrite(context -> context.put(Leadership.class, term));
        }
        return Flux.from(source).doOnError(call::error).doFinally(signal -> LeaderOnlyInterceptor.ended(call, admission::close, null))
                .contextWrite(context -> context.put(Leadership.class, term));
    }

    static Publisher<?> skipped(LeaderOnlyInterceptor.ResultKind kind, @Nullable RuntimeException refused) {
        if (kind == LeaderOnlyInterceptor.ResultKind.MONO) {
            return refused != null ? Mono.error(refused) : Mono.empty();
        }
        return refused != null ? Flux.error(refused) : Flux.empty();
    }
}
