package dev.nudge.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint the code serves is in {@code openapi/openapi.yaml} (the response-validating filter
 * of the other tests cannot check a path the contract does not list).
 */
class ContractCoversEveryEndpointTest {

  private static final Map<Class<?>, String> METHODS =
      Map.of(
          GET.class,
          "get",
          POST.class,
          "post",
          PUT.class,
          "put",
          PATCH.class,
          "patch",
          DELETE.class,
          "delete");

  @Test
  void everyResourceMethodIsInTheContract() throws Exception {
    JsonNode paths =
        new ObjectMapper(new YAMLFactory()).readTree(new File("openapi/openapi.yaml")).get("paths");
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.nudge")) {
      if (!c.isAnnotatedWith(Path.class)) {
        continue;
      }
      String base = c.getAnnotationOfType(Path.class).value();
      for (JavaMethod m : c.getMethods()) {
        for (var verb : METHODS.entrySet()) {
          @SuppressWarnings("unchecked")
          Class<? extends java.lang.annotation.Annotation> a =
              (Class<? extends java.lang.annotation.Annotation>) verb.getKey();
          if (!m.isAnnotatedWith(a)) {
            continue;
          }
          String sub =
              m.isAnnotatedWith(Path.class) ? m.getAnnotationOfType(Path.class).value() : "";
          String path = normalise(base + (sub.startsWith("/") || sub.isEmpty() ? sub : "/" + sub));
          checked++;
          if (!documented(paths, path, verb.getValue())) {
            missing.add(verb.getValue().toUpperCase() + " " + path);
          }
        }
      }
    }
    assertThat(checked).as("resource methods found").isGreaterThan(40);
    assertThat(missing).as("endpoints missing from openapi.yaml").isEmpty();
  }

  /**
   * The query parameters each endpoint reads are the ones the contract lists, no more and no fewer:
   * an undeclared one is refused with a 400 (SPEC §2), so the two must agree.
   */
  @Test
  void everyEndpointTakesExactlyTheQueryParametersOfTheContract() throws Exception {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(new File("openapi/openapi.yaml"));
    JsonNode paths = root.get("paths");
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.nudge")) {
      if (!c.isAnnotatedWith(Path.class)) {
        continue;
      }
      String base = c.getAnnotationOfType(Path.class).value();
      for (JavaMethod m : c.getMethods()) {
        for (var verb : METHODS.entrySet()) {
          @SuppressWarnings("unchecked")
          Class<? extends java.lang.annotation.Annotation> a =
              (Class<? extends java.lang.annotation.Annotation>) verb.getKey();
          if (!m.isAnnotatedWith(a)) {
            continue;
          }
          String sub =
              m.isAnnotatedWith(Path.class) ? m.getAnnotationOfType(Path.class).value() : "";
          String path = normalise(base + (sub.startsWith("/") || sub.isEmpty() ? sub : "/" + sub));
          java.util.Set<String> code = new java.util.TreeSet<>();
          for (java.lang.reflect.Parameter p : m.reflect().getParameters()) {
            if (p.isAnnotationPresent(jakarta.ws.rs.QueryParam.class)) {
              code.add(p.getAnnotation(jakarta.ws.rs.QueryParam.class).value());
            }
          }
          if (dev.nudge.common.auth.BearerAuthMechanism.acceptsQueryToken(
              path.replace("{}", "x"))) {
            code.add("token");
          }
          java.util.Set<String> contract =
              contractQueryParameters(root, paths, path, verb.getValue());
          checked++;
          if (!code.equals(contract)) {
            wrong.add(
                verb.getValue().toUpperCase()
                    + " "
                    + path
                    + ": code "
                    + code
                    + ", contract "
                    + contract);
          }
        }
      }
    }
    assertThat(checked).as("resource methods found").isGreaterThan(40);
    assertThat(wrong).as("query parameters that differ").isEmpty();
  }

  private static java.util.Set<String> contractQueryParameters(
      JsonNode root, JsonNode paths, String path, String verb) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    var it = paths.fieldNames();
    while (it.hasNext()) {
      String name = it.next();
      if (!normalise(name).equals(path) || !paths.get(name).has(verb)) {
        continue;
      }
      List<JsonNode> params = new ArrayList<>();
      paths.get(name).path("parameters").forEach(params::add);
      paths.get(name).get(verb).path("parameters").forEach(params::add);
      for (JsonNode p : params) {
        JsonNode resolved = p.has("$ref") ? root.at(p.get("$ref").asText().substring(1)) : p;
        if ("query".equals(resolved.path("in").asText())) {
          names.add(resolved.get("name").asText());
        }
      }
    }
    return names;
  }

  /** Path templates compared by shape: {@code /v1/trades/{}}. */
  private static String normalise(String path) {
    return path.replaceAll("/+$", "").replaceAll("\\{[^}]*}", "{}");
  }

  private static boolean documented(JsonNode paths, String path, String verb) {
    var names = paths.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (normalise(name).equals(path) && paths.get(name).has(verb)) {
        return true;
      }
    }
    return false;
  }
}
