package dev.nudge.common.problem;

/** One entry of a {@code validation-failed} problem's {@code errors}. */
public record FieldError(String field, String message) {}
