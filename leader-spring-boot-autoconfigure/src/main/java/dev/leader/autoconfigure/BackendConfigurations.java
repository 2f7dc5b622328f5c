package dev.leader.autoconfigure;

import java.util.Arrays;
import java.util.stream.Stream;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Imports every backend's configuration from {@link BackendType}, as Boot imports its cache
 * providers' (each one guarded by {@link ConditionalOnBackend}), then the configuration that
 * explains a backend that could not be built.
 */
final class BackendConfigurations implements ImportSelector {

    @Override
    public String[] selectImports(AnnotationMetadata metadata) {
        return Stream.concat(Arrays.stream(BackendType.values()).map(BackendType::configuration),
                Stream.of(MissingBackendConfiguration.class.getName())).toArray(String[]::new);
    }
}
