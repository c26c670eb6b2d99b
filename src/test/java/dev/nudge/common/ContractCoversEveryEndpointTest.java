package dev.nudge.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import dev.nudge.common.auth.BearerAuthMechanism;
import dev.nudge.support.ResourceClasses;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.io.File;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint the code serves is in {@code openapi/openapi.yaml} (the response-validating filter
 * of the other tests cannot check a path the contract does not list).
 */
class ContractCoversEveryEndpointTest {

  private static final Map<Class<? extends Annotation>, String> METHODS =
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
    JsonNode paths = contract().get("paths");
    List<Endpoint> endpoints = endpoints();
    List<String> missing = new ArrayList<>();
    for (Endpoint e : endpoints) {
      if (!documented(paths, e.path(), e.verb())) {
        missing.add(e.verb().toUpperCase() + " " + e.path());
      }
    }
    assertThat(endpoints).as("resource methods found").hasSizeGreaterThan(40);
    assertThat(missing).as("endpoints missing from openapi.yaml").isEmpty();
  }

  /**
   * The query parameters each endpoint reads are the ones the contract lists, no more and no fewer:
   * an undeclared one is refused with a 400 (SPEC §2), so the two must agree.
   */
  @Test
  void everyEndpointTakesExactlyTheQueryParametersOfTheContract() throws Exception {
    JsonNode root = contract();
    JsonNode paths = root.get("paths");
    List<Endpoint> endpoints = endpoints();
    List<String> wrong = new ArrayList<>();
    for (Endpoint e : endpoints) {
      Set<String> code = new TreeSet<>();
      for (Parameter p : e.method().reflect().getParameters()) {
        if (p.isAnnotationPresent(QueryParam.class)) {
          code.add(p.getAnnotation(QueryParam.class).value());
        }
      }
      if (BearerAuthMechanism.acceptsQueryToken(e.path().replace("{}", "x"))) {
        code.add("token");
      }
      Set<String> contract = contractQueryParameters(root, paths, e.path(), e.verb());
      if (!code.equals(contract)) {
        wrong.add(
            e.verb().toUpperCase() + " " + e.path() + ": code " + code + ", contract " + contract);
      }
    }
    assertThat(endpoints).as("resource methods found").hasSizeGreaterThan(40);
    assertThat(wrong).as("query parameters that differ").isEmpty();
  }

  /** A resource method the code serves: its HTTP verb and its path template, by shape. */
  private record Endpoint(JavaMethod method, String verb, String path) {}

  private static JsonNode contract() throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(new File("openapi/openapi.yaml"));
  }

  /** Every resource method of the application's {@code @Path} classes. */
  private static List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (JavaClass c : ResourceClasses.all()) {
      String base = c.getAnnotationOfType(Path.class).value();
      for (JavaMethod m : c.getMethods()) {
        for (var verb : METHODS.entrySet()) {
          if (!m.isAnnotatedWith(verb.getKey())) {
            continue;
          }
          String sub =
              m.isAnnotatedWith(Path.class) ? m.getAnnotationOfType(Path.class).value() : "";
          String path = normalise(base + (sub.startsWith("/") || sub.isEmpty() ? sub : "/" + sub));
          endpoints.add(new Endpoint(m, verb.getValue(), path));
        }
      }
    }
    return endpoints;
  }

  private static Set<String> contractQueryParameters(
      JsonNode root, JsonNode paths, String path, String verb) {
    Set<String> names = new TreeSet<>();
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
