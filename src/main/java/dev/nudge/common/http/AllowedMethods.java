package dev.nudge.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The methods each path takes, for the {@code Allow} header of a 405. Read from the contract the
 * service serves ({@code META-INF/openapi.yaml}), which a test keeps complete.
 */
@ApplicationScoped
public class AllowedMethods {

  private static final List<String> VERBS = List.of("get", "post", "put", "patch", "delete");

  /** Literal paths first ({@code /v1/complaints/stats} before {@code /v1/complaints/{id}}). */
  private final Map<Pattern, List<String>> paths = new LinkedHashMap<>();

  public AllowedMethods() {
    try (InputStream in =
        Thread.currentThread()
            .getContextClassLoader()
            .getResourceAsStream("META-INF/openapi.yaml")) {
      if (in == null) {
        return;
      }
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in).get("paths");
      List<String> names = new ArrayList<>();
      root.fieldNames().forEachRemaining(names::add);
      names.sort(Comparator.comparingLong(p -> p.chars().filter(c -> c == '{').count()));
      for (String path : names) {
        List<String> methods = new ArrayList<>();
        for (String verb : VERBS) {
          if (root.get(path).has(verb)) {
            methods.add(verb.toUpperCase(Locale.ROOT));
          }
        }
        if (methods.contains("GET")) {
          methods.add("HEAD");
        }
        methods.add("OPTIONS");
        String regex =
            Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q").replace("\\Q\\E", "");
        paths.put(Pattern.compile(regex), methods);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The methods {@code path} takes, as an {@code Allow} value; null for an unknown path. */
  public String allow(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    for (var e : paths.entrySet()) {
      if (e.getKey().matcher(p).matches()) {
        return String.join(", ", e.getValue());
      }
    }
    return null;
  }
}
