package dev.realtime.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The Spring adapter uses the public API only: the build fails if it imports {@code dev.realtime.core.internal}. */
class PublicApiOnlyTest {
    @Test
    void theSpringAdapterUsesThePublicApiOnly() {
        JavaClasses spring = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.realtime.spring");
        assertTrue(spring.contain("dev.realtime.spring.autoconfigure.RealtimeAutoConfiguration"));
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.realtime.core.internal..")
                .because("adapters are written on the public API").check(spring);
    }
}
