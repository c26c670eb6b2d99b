package dev.nudge.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.auth.Caller;
import dev.nudge.common.http.RequestBodyFilter;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code Idempotency-Key} on POST: the first request with a key runs and, once the endpoint began
 * executing it, its answer is stored ({@link SavedAnswers}); a retry with the same key and body
 * gets that answer again ({@code Idempotent-Replayed: true}); the same key with another body is a
 * 422. A request refused before it executed stores nothing, so its retry runs again. A duplicate
 * arriving while the first is still running waits for it, then replays.
 */
public class IdempotencyFilter {

  public static final String HEADER = "Idempotency-Key";
  private static final String CLAIM = "nudge.idempotency.claim";
  private static final List<String> KEPT_HEADERS = List.of("Location", "ETag", "Retry-After");
  private static final long WAIT_MILLIS = 10_000;
  private static final Logger LOG = Logger.getLogger(IdempotencyFilter.class);

  private record Claim(String scope, String key) {}

  private final IdempotencyStore store;
  private final Caller caller;
  private final ObjectMapper json;

  public IdempotencyFilter(IdempotencyStore store, Caller caller, ObjectMapper json) {
    this.store = store;
    this.caller = caller;
    this.json = json;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 200)
  public Optional<Response> check(ContainerRequestContext request) throws SQLException {
    String key = request.getHeaderString(HEADER);
    if (key == null || !"POST".equals(request.getMethod()) || !caller.authenticated()) {
      return Optional.empty();
    }
    if (key.isBlank() || key.length() > 255) {
      throw ApiProblem.validation(HEADER, "must be 1 to 255 characters");
    }
    byte[] body = (byte[]) request.getProperty(RequestBodyFilter.BODY);
    String hash = hash(request.getUriInfo().getRequestUri().getRawPath(), request, body);
    String scope = caller.idempotencyScope();
    Optional<IdempotencyStore.Stored> held = store.claim(scope, key, hash);
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (held.isPresent()) {
      IdempotencyStore.Stored stored = held.get();
      if (!stored.requestHash().equals(hash)) {
        throw new ApiProblem(
            ProblemType.IDEMPOTENCY_KEY_REUSE,
            "This Idempotency-Key was used with a different request; use a new key.");
      }
      if (stored.completed()) {
        return Optional.of(replay(stored));
      }
      if (System.currentTimeMillis() > deadline) {
        throw new ApiProblem(
                ProblemType.IDEMPOTENCY_KEY_IN_USE,
                "A request with this Idempotency-Key is still in progress; retry shortly.")
            .header("Retry-After", "1");
      }
      sleep();
      held = store.find(scope, key);
      if (held.isEmpty()) {
        // The first request failed and released the key: this one runs instead.
        held = store.claim(scope, key, hash);
      }
    }
    request.setProperty(CLAIM, new Claim(scope, key));
    return Optional.empty();
  }

  @ServerResponseFilter
  public void store(ContainerRequestContext request, ContainerResponseContext response) {
    Claim claim = (Claim) request.getProperty(CLAIM);
    if (claim == null) {
      return;
    }
    request.removeProperty(CLAIM);
    try {
      if (!SavedAnswers.saved(response.getStatus(), problemType(response))) {
        // Refused before it executed: nothing needs protecting from a repeat, so the key stays
        // free for the corrected request, or for the retry after a 429's Retry-After.
        store.release(claim.scope(), claim.key());
        return;
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : KEPT_HEADERS) {
        Object value = response.getHeaders().getFirst(name);
        if (value != null) {
          headers.put(name, value.toString());
        }
      }
      MediaType type = response.getMediaType();
      store.complete(
          claim.scope(),
          claim.key(),
          response.getStatus(),
          type == null ? null : type.toString(),
          entity(response.getEntity()),
          json.writeValueAsString(headers));
    } catch (SQLException | JsonProcessingException e) {
      LOG.warn("Could not record an idempotent response; a retry will run again", e);
    }
  }

  /** The {@code type} of a problem answer (its body is the document as text), else null. */
  private String problemType(ContainerResponseContext response) {
    if (response.getStatus() < 400 || !(response.getEntity() instanceof String body)) {
      return null;
    }
    try {
      return json.readTree(body).path("type").textValue();
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private String entity(Object entity) throws JsonProcessingException {
    if (entity == null) {
      return null;
    }
    if (entity instanceof String s) {
      return s;
    }
    return json.writeValueAsString(entity);
  }

  private Response replay(IdempotencyStore.Stored stored) {
    Response.ResponseBuilder r =
        Response.status(stored.status()).header("Idempotent-Replayed", "true");
    if (stored.body() != null) {
      r.entity(stored.body());
    }
    if (stored.contentType() != null) {
      r.type(stored.contentType());
    }
    if (stored.headers() != null) {
      try {
        Map<String, String> headers =
            json.readValue(stored.headers(), new TypeReference<Map<String, String>>() {});
        headers.forEach(r::header);
      } catch (JsonProcessingException e) {
        LOG.warn("Stored idempotent headers unreadable", e);
      }
    }
    return r.build();
  }

  private static String hash(String path, ContainerRequestContext request, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((request.getMethod() + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
      String query = request.getUriInfo().getRequestUri().getRawQuery();
      if (query != null) {
        sha.update(("?" + query + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (body != null) {
        sha.update(body);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiProblem(ProblemType.UNAVAILABLE, "Interrupted while waiting.");
    }
  }
}
