package dev.nudge.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Domain packages stay plain Java: no framework, no persistence, no wall clock. Each rule's {@code
 * check} throws an AssertionError naming the offending classes.
 */
class ArchitectureTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.nudge");

  @Test
  void domainIsFrameworkFree() {
    noClasses()
        .that()
        .resideInAnyPackage("..domain..", "dev.nudge.common.statemachine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..", "jakarta..", "org.hibernate..", "io.vertx..", "com.fasterxml..")
        .check(classes);
  }

  @Test
  void domainNeverReadsTheWallClock() {
    noClasses()
        .that()
        .resideInAnyPackage("..domain..")
        .should()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .check(classes);
  }
}
