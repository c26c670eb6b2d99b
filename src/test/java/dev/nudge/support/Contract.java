package dev.nudge.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations of {@code openapi/openapi.yaml}, for tests that cover every endpoint: a new
 * endpoint in the contract is covered by them without a change.
 */
public final class Contract {

  private static final List<String> VERBS = List.of("get", "post", "put", "patch", "delete");

  /** The whole document. */
  public static final JsonNode ROOT = load();

  private Contract() {}

  /** One method on one path template. */
  public record Operation(String method, String path, JsonNode node, List<JsonNode> parameters) {

    /** {@code GET /v1/trades/{tradeId}}. */
    public String name() {
      return method + " " + path;
    }

    public boolean tenantManagement() {
      return path.startsWith("/v1/tenants");
    }

    public boolean takesBody() {
      return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /** The parameters of {@code in} (path, query, header), resolved. */
    public List<JsonNode> parameters(String in) {
      return parameters.stream().filter(p -> in.equals(p.path("in").asText())).toList();
    }

    /** The JSON request body's schema, resolved, when the operation takes one. */
    public Optional<JsonNode> requestSchema() {
      JsonNode content = node.path("requestBody").path("content");
      JsonNode schema = content.path("application/json").path("schema");
      return schema.isMissingNode() ? Optional.empty() : Optional.of(resolve(schema));
    }

    /**
     * The JSON request body's example from the contract (every request body has one), as text;
     * {@code "{}"} when there is none.
     */
    public String exampleBody() {
      JsonNode example = node.path("requestBody").path("content").path("application/json");
      JsonNode value = example.path("example");
      if (value.isMissingNode()) {
        var named = example.path("examples").elements();
        value = named.hasNext() ? named.next().path("value") : value;
      }
      return value.isMissingNode() ? "{}" : value.toString();
    }

    /** The path with each {@code {name}} replaced by {@code ids.get(name)}. */
    public String concrete(Map<String, String> ids) {
      String concrete = path;
      for (var id : ids.entrySet()) {
        concrete = concrete.replace("{" + id.getKey() + "}", id.getValue());
      }
      if (concrete.contains("{")) {
        throw new IllegalArgumentException("no value for a parameter of " + path);
      }
      return concrete;
    }
  }

  /** Every operation under {@code /v1}, in the contract's order. */
  public static List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    JsonNode paths = ROOT.get("paths");
    Iterator<String> names = paths.fieldNames();
    while (names.hasNext()) {
      String path = names.next();
      if (!path.startsWith("/v1/")) {
        continue;
      }
      JsonNode item = paths.get(path);
      for (String verb : VERBS) {
        if (!item.has(verb)) {
          continue;
        }
        List<JsonNode> params = new ArrayList<>();
        item.path("parameters").forEach(p -> params.add(resolve(p)));
        item.get(verb).path("parameters").forEach(p -> params.add(resolve(p)));
        out.add(new Operation(verb.toUpperCase(), path, item.get(verb), List.copyOf(params)));
      }
    }
    return out;
  }

  /** {@code node} with a top-level {@code $ref} followed. */
  public static JsonNode resolve(JsonNode node) {
    JsonNode n = node;
    while (n != null && n.has("$ref")) {
      n = ROOT.at(n.get("$ref").asText().substring(1));
    }
    return n;
  }

  private static JsonNode load() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(new File("openapi/openapi.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
