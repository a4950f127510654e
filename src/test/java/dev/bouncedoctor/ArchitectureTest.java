package dev.bouncedoctor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The house, as the README's layout describes it: entry points (api, cli, console, kafka) on top, then the services, then parsing,
 * the engine and the model, each pointing only down, and no cycle between any two packages.
 */
@AnalyzeClasses(packages = "dev.bouncedoctor", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.bouncedoctor.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layersPointDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Entry").definedBy("dev.bouncedoctor.api..", "dev.bouncedoctor.cli..", "dev.bouncedoctor.console..", "dev.bouncedoctor.kafka..")
            .layer("Services").definedBy("dev.bouncedoctor.diagnosis..", "dev.bouncedoctor.maillog..", "dev.bouncedoctor.rules..", "dev.bouncedoctor.check..", "dev.bouncedoctor.webhooks..", "dev.bouncedoctor.preview..",
                    "dev.bouncedoctor.security..", "dev.bouncedoctor.metrics..", "dev.bouncedoctor.health..")
            .layer("Parsing").definedBy("dev.bouncedoctor.mail..")
            .layer("Engine").definedBy("dev.bouncedoctor.engine..")
            .layer("Model").definedBy("dev.bouncedoctor.model..")
            .whereLayer("Entry").mayNotBeAccessedByAnyLayer()
            .whereLayer("Services").mayOnlyBeAccessedByLayers("Entry")
            .whereLayer("Parsing").mayOnlyBeAccessedByLayers("Entry", "Services")
            .whereLayer("Engine").mayOnlyBeAccessedByLayers("Entry", "Services", "Parsing")
            .whereLayer("Model").mayOnlyBeAccessedByLayers("Entry", "Services", "Parsing", "Engine");

    /** Metrics listen to events; nothing calls them, so a path cannot forget to. */
    @ArchTest
    static final ArchRule metricsAreOnlyListeners = noClasses().that().resideOutsideOfPackage("dev.bouncedoctor.metrics..")
            .should().dependOnClassesThat().resideInAPackage("dev.bouncedoctor.metrics..");

    /** The rule engine is reached through RuleSet only: its session runner stays inside the engine. */
    @ArchTest
    static final ArchRule oneWayIntoTheEngine = noClasses().that().resideOutsideOfPackage("dev.bouncedoctor.engine")
            .should().dependOnClassesThat().haveSimpleName("DiagnosisEngine");
}
