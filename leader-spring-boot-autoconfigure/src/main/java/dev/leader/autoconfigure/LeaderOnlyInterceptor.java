package dev.leader.autoconfigure;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import dev.leader.election.Election;
import dev.leader.election.Leadership;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.function.SingletonSupplier;

/** Runs a {@link LeaderOnly} call only while its election's {@code isLeader()} holds. */
public final class LeaderOnlyInterceptor implements MethodInterceptor {

    private static final Logger log = LoggerFactory.getLogger(LeaderOnlyInterceptor.class);

    private final Supplier<ElectionRegistry> registry;

    private final Supplier<LeaderOnlySkips> skips;

    private final ConcurrentMap<Method, Guard> guards = new ConcurrentHashMap<>();

    /** Suppliers, so that the advisor does not force the backend into being early. */
    public LeaderOnlyInterceptor(Supplier<ElectionRegistry> registry, Supplier<@Nullable LeaderOnlySkips> skips) {
        this.registry = SingletonSupplier.of(registry);
        this.skips = SingletonSupplier.of(() -> {
            LeaderOnlySkips found = skips.get();
            return found != null ? found : election -> { };
        });
    }

    private record Guard(Election election, LeaderOnly.OnNotLeader onNotLeader, Class<?> returnType) {
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Guard guard = guards.computeIfAbsent(invocation.getMethod(), m -> guardFor(m, invocation.getThis()));
        ElectionRegistry elections = registry.get();
        if (!elections.enter()) {
            return notLeader(guard, invocation, "shutting down");
        }
        try {
            Optional<Leadership> leadership = guard.election.isLeader() ? guard.election.leadership() : Optional.empty();
            if (leadership.isEmpty()) {
                return notLeader(guard, invocation, "not leader");
            }
            Leadership previous = LeaderContext.enter(leadership.get());
            try {
                return invocation.proceed();
            }
            finally {
                LeaderContext.restore(previous);
            }
        }
        finally {
            elections.exit();
        }
    }

    private @Nullable Object notLeader(Guard guard, MethodInvocation invocation, String why) {
        skips.get().skipped(guard.election.name());
        if (guard.onNotLeader == LeaderOnly.OnNotLeader.THROW) {
            throw new NotLeaderException(guard.election.name(), guard.election.candidateId());
        }
        if (log.isDebugEnabled()) {
            log.debug("[election={}, id={}] skipped {}: {}", guard.election.name(), guard.election.candidateId(),
                    invocation.getMethod().getName(), why);
        }
        return guard.returnType == Optional.class ? Optional.empty() : null;
    }

    private Guard guardFor(Method method, @Nullable Object target) {
        LeaderOnly annotation = find(method, target == null ? method.getDeclaringClass() : AopUtils.getTargetClass(target));
        String name = annotation == null ? "" : annotation.value();
        LeaderOnly.OnNotLeader mode = annotation == null ? LeaderOnly.OnNotLeader.SKIP : annotation.onNotLeader();
        return new Guard(registry.get().election(name), mode, method.getReturnType());
    }

    static @Nullable LeaderOnly find(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        LeaderOnly onMethod = AnnotatedElementUtils.findMergedAnnotation(specific, LeaderOnly.class);
        if (onMethod != null) {
            return onMethod;
        }
        return AnnotatedElementUtils.findMergedAnnotation(targetClass, LeaderOnly.class);
    }
}
