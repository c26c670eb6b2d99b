package dev.nudge.support;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.stream.StreamSupport;

/** The application's resource classes (its {@code @Path} classes), read from the compiled code. */
public final class ResourceClasses {

  private ResourceClasses() {}

  public static List<JavaClass> all() {
    return StreamSupport.stream(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nudge")
                .spliterator(),
            false)
        .filter(c -> c.isAnnotatedWith(Path.class))
        .toList();
  }
}
