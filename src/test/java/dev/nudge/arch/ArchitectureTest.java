package dev.nudge.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * Domain packages stay plain Java: no framework, no persistence, no wall clock. A violation fails
 * with ArchUnit's report naming the offending classes and calls.
 */
class ArchitectureTest {

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
            .callMethod(System.class, "currentTimeMillis"));
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
