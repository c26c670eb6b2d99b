package dev.nudge.common.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A failure that reaches the client as RFC 9457 problem+json; thrown anywhere, mapped once. */
public class ApiProblem extends RuntimeException {

  private final ProblemType type;
  private final Map<String, Object> extensions = new LinkedHashMap<>();
  private final Map<String, String> headers = new LinkedHashMap<>();

  public ApiProblem(ProblemType type, String detail) {
    super(detail, null, false, false);
    this.type = type;
  }

  public static ApiProblem validation(List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid.";
    return new ApiProblem(ProblemType.VALIDATION_FAILED, detail).with("errors", errors);
  }

  public static ApiProblem validation(String field, String message) {
    return validation(List.of(new FieldError(field, message)));
  }

  public static ApiProblem notFound(String what, String id) {
    return new ApiProblem(ProblemType.NOT_FOUND, what + " " + id + " does not exist.");
  }

  public static ApiProblem forbidden(String detail) {
    return new ApiProblem(ProblemType.FORBIDDEN, detail);
  }

  public ApiProblem with(String name, Object value) {
    extensions.put(name, value);
    return this;
  }

  public ApiProblem header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public ProblemType type() {
    return type;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
