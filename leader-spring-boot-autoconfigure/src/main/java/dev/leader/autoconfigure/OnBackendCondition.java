package dev.leader.autoconfigure;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The one condition behind backend choice, like Boot's cache-type condition. */
final class OnBackendCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, @Nullable Object> attributes = metadata.getAnnotationAttributes(ConditionalOnBackend.class.getName());
        String wanted = attributes != null ? (String) attributes.get("value") : null;
        if (wanted == null) {
            return ConditionOutcome.noMatch("no @ConditionalOnBackend value");
        }
        BackendSelection selection = BackendSelection.of(context.getBeanFactory(), context.getEnvironment());
        ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnBackend.class, wanted);
        if (selection.type() != null && selection.type().id().equals(wanted)) {
            return ConditionOutcome.match(message.because(selection.explanation()));
        }
        return ConditionOutcome.noMatch(message.because(selection.explanation()));
    }
}
