package dev.nudge.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.nudge.common.statemachine.ActionRefused;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become RFC 9457 problem+json. Nothing else builds error bodies, and
 * no exception text, stack trace or class name crosses this boundary unless we wrote it.
 */
public class ProblemMapper {

  public static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  private final ObjectMapper json;
  private final jakarta.enterprise.inject.Instance<io.quarkus.security.identity.SecurityIdentity>
      identity;

  private final jakarta.enterprise.inject.Instance<dev.nudge.common.http.AllowedMethods> allowed;

  @jakarta.inject.Inject
  public ProblemMapper(
      ObjectMapper json,
      jakarta.enterprise.inject.Instance<io.quarkus.security.identity.SecurityIdentity> identity,
      jakarta.enterprise.inject.Instance<dev.nudge.common.http.AllowedMethods> allowed) {
    this.json = json;
    this.identity = identity;
    this.allowed = allowed;
  }

  /** For writing problem bodies outside a request (no identity to speak of). */
  public ProblemMapper(ObjectMapper json) {
    this(json, null, null);
  }

  @ServerExceptionMapper
  public Response apiProblem(ApiProblem problem, UriInfo uri) {
    Response.ResponseBuilder response =
        respond(problem.type(), problem.getMessage(), problem.extensions(), uri);
    problem.headers().forEach(response::header);
    return response.build();
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e, UriInfo uri) {
    String field = e instanceof JsonMappingException m ? path(m) : "";
    String message;
    if (e instanceof UnrecognizedPropertyException u) {
      field = field.isEmpty() ? u.getPropertyName() : field;
      message = "is not a known field";
    } else if (e instanceof dev.nudge.common.http.StrictJson.UnstorableText t) {
      message = t.reason();
    } else if (e instanceof InvalidNullException) {
      message = "must not be null";
    } else if (e instanceof MismatchedInputException m && expected(m.getTargetType()) != null) {
      message = expected(m.getTargetType());
    } else if (e instanceof InvalidFormatException f) {
      message = "has an invalid value" + (f.getValue() == null ? "" : " '" + f.getValue() + "'");
    } else if (e instanceof JsonMappingException m && isOutOfRange(m)) {
      message = "is out of range";
    } else if (e instanceof JsonMappingException) {
      message = "has the wrong type or shape";
    } else {
      field = "body";
      message = "is not valid JSON";
    }
    return problem(ProblemType.VALIDATION_FAILED, field.isEmpty() ? "body" : field, message, uri);
  }

  /**
   * What a value of {@code type} must be written as in JSON, for a value of another JSON type (SPEC
   * §2: never coerced); null when the type says nothing a client could act on.
   */
  private static String expected(Class<?> type) {
    if (type == null) {
      return null;
    }
    if (type == String.class || type == Character.class || type == char.class) {
      return "must be a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "must be true or false";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == Short.class
        || type == short.class
        || type == java.math.BigInteger.class) {
      return "must be an integer";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "must be a number";
    }
    if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
      return "must be an RFC 3339 timestamp string such as 2026-11-22T10:00:00Z";
    }
    if (type.isEnum()) {
      return "must be one of the documented strings";
    }
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
      return "must be an array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "must be an object";
    }
    return null;
  }

  private static boolean isOutOfRange(JsonMappingException e) {
    return e.getOriginalMessage() != null && e.getOriginalMessage().contains("out of range");
  }

  /** No credential where one is needed (a resource that admits only some roles). */
  @ServerExceptionMapper
  public Response unauthenticated(io.quarkus.security.UnauthorizedException e, UriInfo uri) {
    return respond(
            ProblemType.UNAUTHORIZED,
            "Send your API key as 'Authorization: Bearer <key>'.",
            Map.of(),
            uri)
        .header("WWW-Authenticate", "Bearer realm=\"nudge\"")
        .build();
  }

  @ServerExceptionMapper
  public Response authenticationFailed(
      io.quarkus.security.AuthenticationFailedException e, UriInfo uri) {
    return respond(
            ProblemType.UNAUTHORIZED,
            e.getMessage() == null ? "The API key or token is not valid." : e.getMessage(),
            Map.of(),
            uri)
        .header("WWW-Authenticate", "Bearer realm=\"nudge\"")
        .build();
  }

  /** A valid credential of the wrong kind for this resource (SPEC §5), said in its own terms. */
  @ServerExceptionMapper
  public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
    io.quarkus.security.identity.SecurityIdentity identity = this.identity.get();
    String detail;
    if (identity.hasRole("admin")) {
      detail = "The admin key manages tenants only; use a tenant API key.";
    } else if (uri != null && uri.getPath().matches("/?v1/tenants(/.*)?")) {
      detail = "Tenant management needs the admin key.";
    } else if (identity.hasRole("party")) {
      detail =
          "A party token reaches only its own party, its trades, reminders and events;"
              + " use a tenant API key.";
    } else {
      detail = "This credential may not do this.";
    }
    return respond(ProblemType.FORBIDDEN, detail, Map.of(), uri).build();
  }

  @ServerExceptionMapper
  public Response actionRefused(ActionRefused e, UriInfo uri) {
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("state", e.state());
    ext.put("action", e.action());
    ext.put("allowedActions", e.allowedActions());
    return respond(ProblemType.ILLEGAL_TRANSITION, e.getMessage() + ".", ext, uri).build();
  }

  /** Outranks the extension's own mapper, which answers with an empty body. */
  @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
  public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
    return json(e, uri);
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
    List<FieldError> errors = new ArrayList<>();
    e.getConstraintViolations()
        .forEach(
            v -> {
              String path = v.getPropertyPath().toString();
              // Drop the "method.argN." prefix bean validation puts on parameter constraints.
              String[] parts = path.split("\\.", 3);
              String field = parts.length == 3 ? parts[2] : parts[parts.length - 1];
              errors.add(new FieldError(field, v.getMessage()));
            });
    return apiProblem(ApiProblem.validation(errors), uri);
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e, UriInfo uri) {
    return respond(ProblemType.NOT_FOUND, "No resource at this path.", Map.of(), uri).build();
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e, UriInfo uri) {
    String allow = e.getResponse().getHeaderString("Allow");
    if (allow == null && uri != null && allowed != null) {
      allow = allowed.get().allow(uri.getPath());
    }
    Response.ResponseBuilder response =
        respond(
            ProblemType.METHOD_NOT_ALLOWED,
            allow == null
                ? "This method is not allowed here."
                : "This method is not allowed here; the path takes " + allow + ".",
            Map.of(),
            uri);
    if (allow != null) {
      response.header("Allow", allow);
    }
    return response.build();
  }

  @ServerExceptionMapper
  public Response notSupported(NotSupportedException e, UriInfo uri) {
    return respond(
            ProblemType.UNSUPPORTED_MEDIA_TYPE,
            "Send the request body as application/json.",
            Map.of(),
            uri)
        .build();
  }

  @ServerExceptionMapper
  public Response notAcceptable(NotAcceptableException e, UriInfo uri) {
    return respond(
            ProblemType.NOT_ACCEPTABLE,
            "This resource is available as application/json.",
            Map.of(),
            uri)
        .build();
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException json) {
        return json(json, uri);
      }
    }
    ProblemType type =
        switch (status) {
          case 400 -> ProblemType.VALIDATION_FAILED;
          case 401 -> ProblemType.UNAUTHORIZED;
          case 403 -> ProblemType.FORBIDDEN;
          case 404 -> ProblemType.NOT_FOUND;
          case 405 -> ProblemType.METHOD_NOT_ALLOWED;
          case 406 -> ProblemType.NOT_ACCEPTABLE;
          case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
          case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
          case 503 -> ProblemType.UNAVAILABLE;
          default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.VALIDATION_FAILED;
        };
    if (status >= 500) {
      LOG.error("Request failed", e);
    }
    if (type == ProblemType.VALIDATION_FAILED) {
      return problem(type, "request", "is malformed", uri);
    }
    return respond(type, type.title() + ".", Map.of(), uri).build();
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    // Data-layer races the services did not anticipate are still the client's to retry.
    if (isSerializationFailure(e)) {
      return respond(
              ProblemType.VERSION_CONFLICT,
              "The resource changed concurrently; retry the request.",
              Map.of(),
              uri)
          .build();
    }
    String refused = refusedValue(e);
    if (refused != null) {
      return problem(ProblemType.VALIDATION_FAILED, "request", refused, uri);
    }
    if (dev.nudge.common.db.DatabaseUnavailable.causedBy(e)) {
      // The database is away (stopped, restarting, out of connections): the client retries.
      dev.nudge.common.db.DatabaseUnavailable.refused(e);
      return respond(
              ProblemType.UNAVAILABLE, "The database is not reachable; retry later.", Map.of(), uri)
          .header("Retry-After", "5")
          .build();
    }
    LOG.error("Unexpected failure", e);
    return respond(
            ProblemType.INTERNAL,
            "The request could not be completed; try again later.",
            Map.of(),
            uri)
        .build();
  }

  /**
   * What is wrong with a value PostgreSQL refused to store or compare (SQLSTATE class 22: a NUL
   * character in text, a timestamp or number out of range), or null if it was something else. Such
   * a value came from the request, so the answer is a 400; the transaction rolled back.
   */
  private static String refusedValue(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("22")) {
        return switch (sql.getSQLState()) {
          case "22021" -> "contains a NUL character (U+0000), which text may not contain";
          case "22008" -> "contains a date or time outside the range this API can store";
          case "22003" -> "contains a number outside the range this API can store";
          default -> "contains a value this API cannot store";
        };
      }
    }
    return null;
  }

  private static boolean isSerializationFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql
          && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private Response problem(ProblemType type, String field, String message, UriInfo uri) {
    return apiProblem(ApiProblem.validation(field, message), uri);
  }

  private Response.ResponseBuilder respond(
      ProblemType type, String detail, Map<String, Object> extensions, UriInfo uri) {
    return Response.status(type.status())
        .type(PROBLEM_JSON)
        .entity(body(type, detail, extensions, uri == null ? null : "/" + uri.getPath()));
  }

  /** The problem document as text, so its media type needs no message body writer. */
  public String body(ProblemType type, String detail, Map<String, Object> extensions, String path) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type.uri());
    body.put("title", type.title());
    body.put("status", type.status());
    body.put("detail", detail);
    if (path != null) {
      body.put("instance", path.replaceAll("^/+", "/"));
    }
    body.putAll(extensions);
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("problem body not serializable", e);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
