package dev.leader.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import dev.leader.election.InvalidSettingException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.SingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.Environment;

/**
 * Which backend this application uses: {@code leader.backend} when set; otherwise the one
 * whose {@code leader.<backend>.*} address is set; otherwise the local file lock.
 *
 * @param type the backend, or null when the configuration names none unambiguously
 * @param explanation why, for the conditions report and the start-up log
 * @param error what is wrong, when {@code type} is null
 */
public record BackendSelection(@Nullable BackendType type, String explanation, @Nullable RuntimeException error) {

    private static final String BEAN_NAME = "leaderBackendSelection";

    /**
     * The selection of the application context whose bean factory is {@code beans}: made once,
     * by the first import, condition or bean that asks, and kept in the bean factory, as Boot
     * keeps its conditions report.
     */
    public static BackendSelection of(@Nullable BeanFactory beans, Environment environment) {
        if (!(beans instanceof SingletonBeanRegistry registry)) {
            return of(environment);
        }
        synchronized (registry.getSingletonMutex()) {
            if (registry.getSingleton(BEAN_NAME) instanceof BackendSelection made) {
                return made;
            }
            BackendSelection selection = of(environment);
            registry.registerSingleton(BEAN_NAME, selection);
            return selection;
        }
    }

    public static BackendSelection of(Environment environment) {
        String explicit = Binder.get(environment).bind("leader.backend", String.class).orElse(null);
        if (explicit != null && !explicit.isBlank()) {
            return BackendType.fromId(explicit)
                    .map(t -> new BackendSelection(t, "leader.backend=" + explicit, null))
                    .orElseGet(() -> new BackendSelection(null, "leader.backend=" + explicit + " is unknown",
                            new InvalidSettingException("leader.backend", explicit, "one of " + BackendType.allowedValues())));
        }
        // Whether each marker has a value, or an element (a list from YAML: endpoints[0]), found
        // the way Binder finds one (relaxed names, every property source) without binding it.
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        List<BackendType> configured = new ArrayList<>();
        for (BackendType type : BackendType.values()) {
            if (type != BackendType.LOCAL && type.markerProperties().stream().anyMatch(p -> isSet(sources, p))) {
                configured.add(type);
            }
        }
        if (configured.size() == 1) {
            BackendType type = configured.get(0);
            return new BackendSelection(type, "inferred from " + type.markerProperties().get(0)
                    .replaceAll("\\.[^.]+$", ".*") + " being set", null);
        }
        if (configured.size() > 1) {
            List<String> ids = configured.stream().map(BackendType::id).toList();
            return new BackendSelection(null, "several backends configured: " + ids,
                    new LeaderConfigurationException("leader.backend", null,
                            "Properties of several backends are set (" + String.join(", ", ids)
                                    + ") and leader.backend is not, so the backend to use is ambiguous.",
                            "Set leader.backend to one of " + String.join(", ", ids) + "."));
        }
        return new BackendSelection(BackendType.LOCAL, "no leader.backend and no backend address set: local file lock", null);
    }

    private static boolean isSet(Iterable<ConfigurationPropertySource> sources, String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : sources) {
            if (source.getConfigurationProperty(name) != null
                    || source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }

    /** Whether nothing chose a backend, so the local file lock is used by default. */
    public boolean inferredLocal() {
        return type == BackendType.LOCAL && explanation.startsWith("no leader.backend");
    }
}
