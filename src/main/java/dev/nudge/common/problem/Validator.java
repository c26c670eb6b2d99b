package dev.nudge.common.problem;

import java.util.ArrayList;
import java.util.List;

/** Collects field errors of one request so the client learns of all of them at once. */
public final class Validator {

  private final List<FieldError> errors = new ArrayList<>();

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
