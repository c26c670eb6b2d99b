package dev.nudge.common.problem;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects field errors of one request so the client learns of all of them at once: the request
 * record's Bean Validation constraints first (field rules), then the service's own checks (rules
 * across fields or against stored data).
 */
public final class Validator {

  private final List<FieldError> errors = new ArrayList<>();

  /** A validator holding the violations of {@code request}'s constraints, ordered by field. */
  public static Validator of(jakarta.validation.Validator constraints, Object request) {
    Validator v = new Validator();
    constraints.validate(request).stream()
        .map(c -> new FieldError(c.getPropertyPath().toString(), c.getMessage()))
        .sorted(
            java.util.Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
        .forEach(v.errors::add);
    return v;
  }

  public Validator check(boolean ok, String field, String message) {
    if (!ok) {
      errors.add(new FieldError(field, message));
    }
    return this;
  }

  public Validator required(Object value, String field) {
    return check(
        value != null && !(value instanceof String s && s.isBlank()), field, "is required");
  }

  public Validator maxLength(String value, int max, String field) {
    return check(
        value == null || value.length() <= max, field, "must be at most " + max + " characters");
  }

  public Validator add(String field, String message) {
    errors.add(new FieldError(field, message));
    return this;
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw ApiProblem.validation(List.copyOf(errors));
    }
  }
}
