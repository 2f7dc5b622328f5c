package dev.leader.autoconfigure;

import dev.leader.election.InvalidSettingException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a bad {@code leader.*} setting ({@link InvalidSettingException}, thrown by the settings
 * class that owns it) or another configuration the application cannot start with
 * ({@link LeaderConfigurationException}) into a start-up report naming the property, the value
 * and what is allowed.
 */
final class LeaderFailureAnalyzer implements FailureAnalyzer {

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LeaderConfigurationException configuration) {
                return report(configuration.description(), configuration.property(), configuration.value(),
                        configuration.action(), configuration);
            }
            if (cause instanceof InvalidSettingException setting) {
                return report("Invalid value '" + InvalidSettingException.shown(setting.value()) + "' for property '"
                        + setting.property() + "'.", setting.property(), setting.value(),
                        "Set " + setting.property() + " to " + setting.allowed() + ".", setting);
            }
        }
        return null;
    }

    private static FailureAnalysis report(String description, String property, @Nullable Object value, String action,
            Throwable cause) {
        return new FailureAnalysis(description + "\n\n    Property: " + property
                + (value != null ? "\n    Value:    " + InvalidSettingException.shown(value) : ""), action, cause);
    }
}
