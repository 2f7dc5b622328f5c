package dev.leader.election;

import java.util.regex.Pattern;

/**
 * Election names become file names, ZooKeeper paths, Redis keys and etcd keys, so they are
 * kept to a portable alphabet.
 */
public final class ElectionNames {

    /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128. */
    public static final String ALLOWED = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ElectionNames() {
    }

    public static boolean isValid(String name) {
        return VALID.matcher(name).matches();
    }

    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid election name '" + name + "': use " + ALLOWED);
        }
        return name;
    }

    /** As {@link #requireValid(String)}, for a name that comes from {@code property}. */
    public static String requireValid(String property, String name) {
        if (!isValid(name)) {
            throw new InvalidSettingException(property, name, ALLOWED);
        }
        return name;
    }
}
