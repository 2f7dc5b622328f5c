package dev.leader.autoconfigure;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import dev.leader.election.AbstractElection;
import dev.leader.election.Admission;
import dev.leader.election.Election;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderContext;
import dev.leader.spring.LeaderOnly;
import dev.leader.spring.NotLeaderException;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.Lifecycle;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodClassKey;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs a {@link LeaderOnly} call only under an admission of its election
 * ({@link Election#admit()}), held for the life of the call's result: until a synchronous call
 * returns, a {@link CompletionStage} completes, or a Reactor publisher terminates or is
 * cancelled. A voluntary release (yield, shutdown) waits for every admission, so the next
 * leader never overlaps this one's work.
 */
public final class LeaderOnlyInterceptor implements MethodInterceptor {

    private static final Logger log = LoggerFactory.getLogger(LeaderOnlyInterceptor.class);

    private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
            LeaderOnlyInterceptor.class.getClassLoader());

    /** With it, Spring's proxies run a Kotlin suspend function as a publisher (and a Flow as a Flux). */
    private static final boolean COROUTINES_REACTOR_PRESENT = REACTOR_PRESENT && ClassUtils.isPresent(
            "kotlinx.coroutines.reactor.MonoKt", LeaderOnlyInterceptor.class.getClassLoader());

    private final Supplier<ElectionRegistry> registry;

    private final Supplier<SkippedCallListener> skips;

    private final Supplier<ObservationRegistry> observations;

    private final LeaderOnlyAnnotations annotations;

    private final ConcurrentMap<MethodClassKey, Guard> guards = new ConcurrentHashMap<>();

    // The guard a method had when last called, and the class of the object it was called on:
    // the lookup on every call without building a key (a method is nearly always called on one class).
    private final ConcurrentMap<Method, LastGuard> lastGuards = new ConcurrentHashMap<>();

    /** Suppliers, so that the advisor does not force the backend into being early. */
    public LeaderOnlyInterceptor(Supplier<ElectionRegistry> registry, Supplier<@Nullable SkippedCallListener> skips,
            Supplier<@Nullable ObservationRegistry> observations, LeaderOnlyAnnotations annotations) {
        this.registry = SingletonSupplier.of(registry);
        this.skips = SingletonSupplier.of(() -> {
            SkippedCallListener found = skips.get();
            return found != null ? found : election -> { };
        });
        this.observations = SingletonSupplier.of(() -> {
            ObservationRegistry found = observations.get();
            return found != null ? found : ObservationRegistry.NOOP;
        });
        this.annotations = annotations;
    }

    /** What a guarded method returns decides how long its admission lasts and what a skip returns. */
    enum ResultKind {
        VALUE, OPTIONAL, COMPLETION_STAGE, MONO, FLUX, KOTLIN_FLOW, LIFECYCLE;

        static ResultKind of(Method method) {
            if (COROUTINES_REACTOR_PRESENT && KotlinDetector.isSuspendingFunction(method)) {
                // The joinpoint answers with a publisher that the proxy awaits as a Mono, or turns
                // into a Flow when the function returns one.
                return KotlinResults.returnsFlow(method) ? FLUX : MONO;
            }
            Class<?> type = method.getReturnType();
            if (COROUTINES_REACTOR_PRESENT && KotlinResults.isFlow(type)) {
                return KOTLIN_FLOW;
            }
            if (type == Optional.class) {
                return OPTIONAL;
            }
            if (CompletionStage.class.isAssignableFrom(type)) {
                return COMPLETION_STAGE;
            }
            if (REACTOR_PRESENT && ReactorResults.isMono(type)) {
                return MONO;
            }
            if (REACTOR_PRESENT && ReactorResults.isFlux(type)) {
                return FLUX;
            }
            return VALUE;
        }
    }

    /**
     * A lifecycle bean annotated on its type is bound to the election as a whole: it runs only
     * while this application leads, so its methods are not guarded one by one.
     */
    static boolean isBoundLifecycle(Class<?> targetClass, LeaderOnlyAnnotations.@Nullable Found found) {
        return found != null && found.onType() && Lifecycle.class.isAssignableFrom(targetClass);
    }

    /**
     * @param callName the observation's contextual name of a call
     * @param endCounted ends work admitted by {@link AbstractElection#tryAdmit()} (does nothing for other elections)
     */
    record Guard(Class<?> targetClass, Election election, LeaderOnly.OnNotLeader onNotLeader, ResultKind kind,
            String callName, KeyValues ran, KeyValues skipped, Runnable endCounted) {

        Guard(Class<?> targetClass, Election election, LeaderOnly.OnNotLeader onNotLeader, ResultKind kind, String callName) {
            this(targetClass, election, onNotLeader, kind, callName, outcome(election, "ran"), outcome(election, "skipped"),
                    election instanceof AbstractElection counted ? counted::endAdmitted : () -> { });
        }

        private static KeyValues outcome(Election election, String outcome) {
            return KeyValues.of("election", election.name(), "outcome", outcome);
        }
    }

    /** @param receiverClass the class of {@link MethodInvocation#getThis()}, a proxy's or the target's */
    private record LastGuard(Class<?> receiverClass, Guard guard) {
    }

    /** Methods a type-level {@code @LeaderOnly} does not guard: {@code equals}, {@code hashCode}, {@code toString}. */
    static boolean isObjectMethod(Method method) {
        return ReflectionUtils.isEqualsMethod(method) || ReflectionUtils.isHashCodeMethod(method)
                || ReflectionUtils.isToStringMethod(method);
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Guard guard = guardFor(invocation);
        if (guard == null) {
            return invocation.proceed();
        }
        return switch (guard.kind()) {
            case LIFECYCLE -> lifecycle(invocation);
            case MONO, FLUX -> ReactorResults.deferred(guard, invocation, this);
            case KOTLIN_FLOW -> KotlinResults.deferred(guard, invocation, this);
            default -> invokeAdmitted(guard, invocation);
        };
    }

    private @Nullable Object invokeAdmitted(Guard guard, MethodInvocation invocation) throws Throwable {
        Leadership term;
        Runnable end;
        if (guard.election() instanceof AbstractElection counted) {
            // No Admission and no Optional: nothing allocated on the synchronous path.
            term = counted.tryAdmit();
            end = guard.endCounted();
        }
        else {
            Admission admission = guard.election().admit().orElse(null);
            term = admission != null ? admission.leadership() : null;
            end = admission != null ? admission::close : () -> { };
        }
        if (term == null) {
            return notLeader(guard, invocation);
        }
        Observation call = observe(guard, guard.ran()).start();
        boolean async = false;
        try (Observation.Scope observed = call.openScope(); LeaderContext.Scope scope = LeaderContext.open(term)) {
            Object result = invocation.proceed();
            if (guard.kind() == ResultKind.COMPLETION_STAGE && result instanceof CompletionStage<?> stage) {
                stage.whenComplete((value, error) -> ended(call, end, error));
                async = true;
            }
            return result;
        }
        catch (Throwable ex) {
            call.error(ex);
            throw ex;
        }
        finally {
            if (!async) {
                ended(call, end, null);
            }
        }
    }

    /**
     * One observation per guarded call, named {@code leader.only}, with the low-cardinality
     * tags {@code election} and {@code outcome} ({@code ran} or {@code skipped}): traces show
     * who ran a job and where it was skipped. Free when no observation registry is configured.
     */
    Observation observe(Guard guard, KeyValues outcome) {
        ObservationRegistry registry = observations.get();
        if (registry.isNoop()) {
            return Observation.NOOP;
        }
        return Observation.createNotStarted("leader.only", registry)
                .contextualName(guard.callName())
                .lowCardinalityKeyValues(outcome);
    }

    /** The call's observation stops, then its admitted work ends ({@code end}), whatever the observation does. */
    static void ended(Observation call, Runnable end, @Nullable Throwable error) {
        try {
            if (error != null) {
                call.error(error);
            }
            call.stop();
        }
        finally {
            end.run();
        }
    }

    /** The context must not start a bound lifecycle bean: the binding starts it on a grant. */
    private static @Nullable Object lifecycle(MethodInvocation invocation) throws Throwable {
        if (invocation.getMethod().getName().equals("isAutoStartup") && invocation.getMethod().getParameterCount() == 0) {
            return false;
        }
        return invocation.proceed();
    }

    @Nullable Object notLeader(Guard guard, MethodInvocation invocation) {
        Election election = guard.election();
        skips.get().skipped(election.name());
        observe(guard, guard.skipped()).start().stop();
        NotLeaderException refused = guard.onNotLeader() == LeaderOnly.OnNotLeader.THROW
                ? new NotLeaderException(election.name(), election.candidateId()) : null;
        if (refused == null && log.isDebugEnabled()) {
            log.debug("{} skipped {}: not leader", AbstractElection.logPrefix(election.name(), election.candidateId()),
                    invocation.getMethod().getName());
        }
        return switch (guard.kind()) {
            case COMPLETION_STAGE -> refused != null ? CompletableFuture.failedFuture(refused) : CompletableFuture.completedFuture(null);
            case MONO, FLUX -> ReactorResults.skipped(guard.kind(), refused);
            case KOTLIN_FLOW -> KotlinResults.skipped(refused);
            case OPTIONAL -> {
                if (refused != null) {
                    throw refused;
                }
                yield Optional.empty();
            }
            default -> {
                if (refused != null) {
                    throw refused;
                }
                yield null;
            }
        };
    }

    /** The guard of this call; null for {@code equals}, {@code hashCode} and {@code toString}, which run unguarded. */
    private @Nullable Guard guardFor(MethodInvocation invocation) {
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Class<?> receiverClass = target != null ? target.getClass() : method.getDeclaringClass();
        LastGuard last = lastGuards.get(method);
        if (last != null && last.receiverClass() == receiverClass) {
            return last.guard();
        }
        if (isObjectMethod(method)) {
            return null;
        }
        Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : receiverClass;
        // By method and target class: two subclasses may inherit one method under different elections.
        Guard guard = guards.computeIfAbsent(new MethodClassKey(method, targetClass), key -> {
            LeaderOnlyAnnotations.Found found = annotations.find(method, targetClass);
            String name = found != null ? found.election() : "";
            LeaderOnly.OnNotLeader mode = found != null ? found.onNotLeader() : LeaderOnly.OnNotLeader.SKIP;
            ResultKind kind = isBoundLifecycle(targetClass, found) ? ResultKind.LIFECYCLE : ResultKind.of(method);
            return new Guard(targetClass, registry.get().election(name), mode, kind,
                    "leader-only " + targetClass.getSimpleName() + "." + method.getName());
        });
        lastGuards.put(method, new LastGuard(receiverClass, guard));
        return guard;
    }
}
