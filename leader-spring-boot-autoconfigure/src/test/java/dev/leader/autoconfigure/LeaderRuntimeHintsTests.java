package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leader.jdbc.JdbcDialect;
import dev.leader.spring.LeaderOnly;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** The hints a native image or an AOT run needs, registered where Spring's AOT processing finds them. */
class LeaderRuntimeHintsTests {

    @Test
    void schemaScriptsMetadataAndTheAnnotationAreRegistered() {
        RuntimeHints hints = new RuntimeHints();
        SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories").load(RuntimeHintsRegistrar.class)
                .forEach(registrar -> registrar.registerHints(hints, getClass().getClassLoader()));
        for (JdbcDialect dialect : JdbcDialect.values()) {
            assertThat(RuntimeHintsPredicates.resource().forResource(dialect.schemaResource())).accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/spring-configuration-metadata.json")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(LeaderOnly.class)).accepts(hints);
    }
}
