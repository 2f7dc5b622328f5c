package dev.leader.autoconfigure;

import dev.leader.election.InvalidSettingException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/** A backend's {@code ...ssl.bundle} property: the name of a bundle defined under {@code spring.ssl.bundle.*}. */
public final class SslBundleSetting {

    private static final String ALLOWED = "the name of a bundle defined under spring.ssl.bundle.*";

    private SslBundleSetting() {
    }

    /**
     * The bundle named {@code name}.
     *
     * @throws InvalidSettingException naming {@code property} when there is no such bundle
     */
    public static SslBundle bundle(String property, String name, @Nullable SslBundles bundles) {
        if (bundles == null) {
            throw new InvalidSettingException(property, name, ALLOWED);
        }
        try {
            return bundles.getBundle(name);
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidSettingException(property, name, ALLOWED);
        }
    }
}
