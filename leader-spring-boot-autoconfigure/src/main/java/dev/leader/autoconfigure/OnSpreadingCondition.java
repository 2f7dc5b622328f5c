package dev.leader.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code leader.spread.instances} is set and not 0. It binds the property as
 * {@link LeaderProperties} does instead of evaluating a SpEL expression, which would load the
 * expression parser (about 70 classes, some 10 ms of the main thread) into every application
 * that uses no SpEL itself, only to learn that spreading is off.
 */
final class OnSpreadingCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        BindResult<Integer> instances = Binder.get(context.getEnvironment()).bind("leader.spread.instances", Integer.class);
        ConditionMessage.Builder message = ConditionMessage.forCondition("leader.spread.instances");
        return instances.isBound() && instances.get() != 0 ? ConditionOutcome.match(message.because("is " + instances.get()))
                : ConditionOutcome.noMatch(message.because("is 0 or not set"));
    }
}
