package dev.leader.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Imports the configuration of the backend {@link BackendSelection} chooses (still guarded by
 * {@link ConditionalOnBackend}), then the configuration that explains a backend that could not be
 * built. The other backends' configurations are not even read: parsing a configuration class and
 * evaluating its conditions costs the main thread about a millisecond each at start-up, and an
 * application uses one backend.
 */
final class BackendConfigurations implements ImportSelector {

    private final BeanFactory beans;

    private final Environment environment;

    BackendConfigurations(BeanFactory beans, Environment environment) {
        this.beans = beans;
        this.environment = environment;
    }

    @Override
    public String[] selectImports(AnnotationMetadata metadata) {
        BackendType type = BackendSelection.of(beans, environment).type();
        return type == null ? new String[] { MissingBackendConfiguration.class.getName() }
                : new String[] { type.configuration(), MissingBackendConfiguration.class.getName() };
    }
}
