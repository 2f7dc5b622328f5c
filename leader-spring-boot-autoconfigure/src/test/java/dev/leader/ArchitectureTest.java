package dev.leader;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import dev.leader.autoconfigure.BackendType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/**
 * The layering of docs/design.md: a Spring-free core; backends that do not know each other, each
 * a Spring-free package with its Spring configuration in its own {@code .autoconfigure}
 * sub-package; generic glue that names backends only through {@link BackendType}; a user API
 * that does not depend on the glue.
 */
class ArchitectureTest {

    private static final List<String> BACKENDS = Arrays.stream(BackendType.values()).map(BackendType::id).toList();

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.leader");
    }

    private static String[] backendPackages() {
        return BACKENDS.stream().map(b -> "dev.leader." + b + "..").toArray(String[]::new);
    }

    /** A SpEL condition loads the expression parser into every application at start-up, about 70 classes. */
    @Test
    void conditionsDoNotEvaluateExpressions() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName(ConditionalOnExpression.class.getName())
                .check(classes);
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
                .should().dependOnClassesThat().resideInAnyPackage(backendPackages())
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.leader.autoconfigure..", "dev.leader.spring..")
                .check(classes);
    }

    @Test
    void backendsDoNotDependOnEachOtherAndOnlyTheirAutoconfigurationKnowsSpring() {
        for (String backend : BACKENDS) {
            String[] others = BACKENDS.stream().filter(b -> !b.equals(backend)).map(b -> "dev.leader." + b + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage("dev.leader." + backend + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .allowEmptyShould(true).check(classes);
            noClasses().that().resideInAPackage("dev.leader." + backend)
                    .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "dev.leader.autoconfigure..",
                            "dev.leader.spring..")
                    .allowEmptyShould(true).check(classes);
        }
    }

    @Test
    void theGenericGlueNamesBackendsOnlyThroughTheirRegistration() {
        noClasses().that().resideInAPackage("dev.leader.autoconfigure..")
                .should().dependOnClassesThat().resideInAnyPackage(backendPackages())
                .check(classes);
    }

    @Test
    void theUserApiDoesNotDependOnTheGlue() {
        noClasses().that().resideInAPackage("dev.leader.spring..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.leader.autoconfigure..")
                .orShould().dependOnClassesThat().resideInAnyPackage(backendPackages())
                .check(classes);
    }
}
