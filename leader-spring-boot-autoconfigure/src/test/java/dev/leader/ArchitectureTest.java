package dev.leader;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering DESIGN.md promises: a Spring-free core, and backends that do not know each other. */
class ArchitectureTest {

    private static final List<String> BACKENDS = List.of("local", "zookeeper", "redis", "etcd", "lan");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.leader");
    }

    @Test
    void coreHasNoSpringDependency() {
        noClasses().that().resideInAPackage("dev.leader.election..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(classes);
    }

    @Test
    void coreDoesNotDependOnBackendsOrGlue() {
        noClasses().that().resideInAPackage("dev.leader.election..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.leader.local..", "dev.leader.zookeeper..",
                        "dev.leader.redis..", "dev.leader.etcd..", "dev.leader.lan..", "dev.leader.autoconfigure..")
                .check(classes);
    }

    @Test
    void backendsDoNotDependOnEachOtherNorOnSpring() {
        for (String backend : BACKENDS) {
            String[] others = BACKENDS.stream().filter(b -> !b.equals(backend)).map(b -> "dev.leader." + b + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage("dev.leader." + backend + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .allowEmptyShould(true).check(classes);
            noClasses().that().resideInAPackage("dev.leader." + backend + "..")
                    .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "dev.leader.autoconfigure..")
                    .allowEmptyShould(true).check(classes);
        }
    }
}
