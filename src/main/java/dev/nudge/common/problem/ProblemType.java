package dev.nudge.common.problem;

/** The problem types of SPEC §5; {@link #uri()} is what clients match on. */
public enum ProblemType {
  VALIDATION_FAILED("validation-failed", 400, "Validation failed"),
  UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
  FORBIDDEN("forbidden", 403, "Forbidden"),
  TEST_MODE_ONLY("test-mode-only", 403, "Test mode only"),
  NOT_FOUND("not-found", 404, "Not found"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
  ILLEGAL_TRANSITION("illegal-transition", 409, "Illegal transition"),
  VERSION_CONFLICT("version-conflict", 409, "Version conflict"),
  PRECONDITION_FAILED("version-conflict", 412, "Precondition failed"),
  REMINDER_CAP_REACHED("reminder-cap-reached", 409, "Reminder cap reached"),
  IDEMPOTENCY_KEY_IN_USE("idempotency-key-in-use", 409, "Idempotency key in use"),
  PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
  URI_TOO_LONG("uri-too-long", 414, "URI too long"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
  CURSOR_EXPIRED("cursor-expired", 410, "Cursor expired"),
  IDEMPOTENCY_KEY_REUSE("idempotency-key-reuse", 422, "Idempotency key reuse"),
  UNPROCESSABLE("unprocessable", 422, "Unprocessable request"),
  REMINDER_TOO_SOON("reminder-too-soon", 429, "Reminder too soon"),
  HEADERS_TOO_LARGE("headers-too-large", 431, "Request header fields too large"),
  INTERNAL("internal-error", 500, "Internal error"),
  UNAVAILABLE("unavailable", 503, "Service unavailable");

  public static final String BASE = "https://nudge.dev/problems/";

  /** The type of a failure known only by its status (one the HTTP layer raised). */
  public static ProblemType forStatus(int status) {
    return switch (status) {
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 414 -> URI_TOO_LONG;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 431 -> HEADERS_TOO_LARGE;
      case 503 -> UNAVAILABLE;
      default -> status >= 500 ? INTERNAL : VALIDATION_FAILED;
    };
  }

  private final String slug;
  private final int status;
  private final String title;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  public String slug() {
    return slug;
  }

  public String uri() {
    return BASE + slug;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
