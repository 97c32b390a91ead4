package dev.realtime.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The build fails when anything outside the engine imports {@code dev.realtime.core.internal}: the built-in
 * gateways ({@code dev.realtime.core.gateway}, quiz, contests, jobs), the standalone server and Jakarta adapter,
 * Redis and the examples use the public API only. The hub facade ({@code RealtimeHub}) is the one class that wires
 * the engine. (The Spring adapter runs the same rule in its own module.)
 */
class PublicApiOnlyTest {
    /** The rule, shared by the check below and by the proof that it fires. */
    static final ArchRule PUBLIC_API_ONLY = noClasses()
            .that().resideOutsideOfPackage("dev.realtime.core.internal..")
            // the facade and its nested classes (the read-only view parts() returns)
            .and().doNotBelongToAnyOf(dev.realtime.core.RealtimeHub.class)
            .should().dependOnClassesThat().resideInAPackage("dev.realtime.core.internal..")
            .because("gateways, adapters and applications are written on the public API");

    @Test
    void gatewaysAdaptersAndExamplesUseThePublicApiOnly() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.realtime");
        // the import really covers the gateways and the adapters, not an empty set
        assertTrue(main.contain("dev.realtime.core.gateway.JobsGateway"));
        assertTrue(main.contain("dev.realtime.core.quiz.QuizPipeline"));
        assertTrue(main.contain("dev.realtime.jakarta.server.RealtimeServer"));
        assertTrue(main.contain("dev.realtime.redis.RedisBackend"));
        assertTrue(main.contain("dev.realtime.examples.ExampleServer"));
        assertTrue(main.contain("dev.realtime.core.interview.InterviewGateway"));
        PUBLIC_API_ONLY.check(main);
    }

    @Test
    void theRuleFiresOnAClassThatReachesIntoTheEngine() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.realtime.examples.archfixture");
        EvaluationResult result = PUBLIC_API_ONLY.evaluate(fixture);
        assertTrue(result.hasViolation(), "the rule must reject an import of dev.realtime.core.internal");
        assertTrue(result.getFailureReport().toString().contains("ReachesIntoTheEngine"),
                result.getFailureReport().toString());
    }
}
