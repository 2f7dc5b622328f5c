package dev.leader.election;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A setting the library cannot work with. Carries, as data, the property the setting comes from
 * (for example {@code leader.zookeeper.root}), the value given and what is allowed, so that a
 * start-up report can name all three without parsing a message. Thrown by the settings classes
 * that own each setting's validation.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String property;

    private final @Nullable Object value;

    private final String allowed;

    /**
     * @param value the value as it may be shown: mask secrets before passing them
     * @param allowed what would be accepted, as a phrase: "a positive duration, e.g. 10s"
     */
    public InvalidSettingException(String property, @Nullable Object value, String allowed) {
        super("Invalid value '" + shown(value) + "' for property '" + property + "': use " + allowed);
        this.property = property;
        this.value = value;
        this.allowed = allowed;
    }

    /** The property at fault, e.g. {@code leader.etcd.prefix}. */
    public String property() {
        return property;
    }

    /** The value given, as it may be shown (secrets masked); null when missing. */
    public @Nullable Object value() {
        return value;
    }

    /** What is allowed, as a phrase. */
    public String allowed() {
        return allowed;
    }

    /** A value as a report shows it: durations in milliseconds, as they are usually written. */
    public static String shown(@Nullable Object value) {
        if (value instanceof Duration duration) {
            return duration.toMillis() + "ms";
        }
        return String.valueOf(value);
    }

    /** Requires a positive duration. */
    public static Duration requirePositive(String property, @Nullable Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(property, value, "a positive duration, e.g. 10s or 500ms");
        }
        return value;
    }

    /** Requires a duration of zero or more. */
    public static Duration requireNotNegative(String property, @Nullable Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidSettingException(property, value, "a duration of zero or more, e.g. 10s");
        }
        return value;
    }
}
