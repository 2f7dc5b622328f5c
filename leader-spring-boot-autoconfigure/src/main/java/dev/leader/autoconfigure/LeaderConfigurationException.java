package dev.leader.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A configuration the application cannot start with that is not a bad value of one setting
 * (those are {@link dev.leader.election.InvalidSettingException}s): a missing client library, an
 * ambiguous choice of backend, a {@code @LeaderOnly} the guard could not honour. Carries the
 * property (or element) at fault, the value given and what to do, which
 * {@link LeaderFailureAnalyzer} turns into Boot's start-up report.
 */
public class LeaderConfigurationException extends RuntimeException {

    private final String property;

    private final @Nullable Object value;

    private final String action;

    private final String description;

    public LeaderConfigurationException(String property, @Nullable Object value, String description, String action) {
        super(description + " " + action);
        this.property = property;
        this.value = value;
        this.action = action;
        this.description = description;
    }

    /** The chosen backend's client library is not on the class path. */
    static LeaderConfigurationException missingLibrary(BackendType type) {
        String dependency = type.dependency().orElse("?");
        return new LeaderConfigurationException("leader.backend", type.id(),
                "The '" + type.id() + "' leader backend was selected but its client library is not on the class path.",
                "Add the dependency " + dependency + " to your build, or choose another backend with leader.backend ("
                        + BackendType.allowedValues() + ").");
    }

    public String property() {
        return property;
    }

    public @Nullable Object value() {
        return value;
    }

    public String description() {
        return description;
    }

    public String action() {
        return action;
    }
}
