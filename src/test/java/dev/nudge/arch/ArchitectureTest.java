package dev.nudge.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the code base: domain packages stay plain Java (no framework, no
 * persistence, no wall clock); features do not depend on each other in cycles; the shared layer and
 * the timer engine know no feature. A violation fails with ArchUnit's report naming the offending
 * classes and calls.
 */
class ArchitectureTest {

  /** The feature packages; {@code common} and {@code schedule} may import none of them. */
  private static final String[] FEATURES = {
    "dev.nudge.tenant..",
    "dev.nudge.party..",
    "dev.nudge.trade..",
    "dev.nudge.complaint..",
    "dev.nudge.event..",
    "dev.nudge.webhook.."
  };

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.nudge");

  @Test
  void domainIsFrameworkFree() {
    assertHolds(
        noClasses()
            .that()
            .resideInAnyPackage("..domain..", "dev.nudge.common.statemachine..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.quarkus..", "jakarta..", "org.hibernate..", "io.vertx..", "com.fasterxml.."));
  }

  @Test
  void domainNeverReadsTheWallClock() {
    assertHolds(
        noClasses()
            .that()
            .resideInAnyPackage("..domain..")
            .should()
            .callMethod(java.time.Instant.class, "now")
            .orShould()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(System.class, "nanoTime")
            .orShould()
            .callMethod(java.time.Clock.class, "systemUTC")
            .orShould()
            .callMethod(java.time.Clock.class, "systemDefaultZone")
            .orShould()
            .callMethod(java.time.LocalDateTime.class, "now")
            .orShould()
            .callMethod(java.time.ZonedDateTime.class, "now"));
  }

  @Test
  void featuresHaveNoCycles() {
    assertHolds(slices().matching("dev.nudge.(*)..").should().beFreeOfCycles());
  }

  @Test
  void theSharedLayerKnowsNoFeature() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("dev.nudge.common..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FEATURES)
            .orShould()
            .dependOnClassesThat()
            .resideInAPackage("dev.nudge.schedule.."));
  }

  @Test
  void theTimerEngineKnowsNoFeature() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("dev.nudge.schedule..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FEATURES));
  }

  /** The rule holds, and not vacuously: the domain classes it speaks of were imported. */
  private void assertHolds(ArchRule rule) {
    assertThat(classes.stream().filter(c -> c.getPackageName().contains(".domain")).count())
        .as("domain classes imported")
        .isPositive();
    EvaluationResult result = rule.evaluate(classes);
    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }
}
