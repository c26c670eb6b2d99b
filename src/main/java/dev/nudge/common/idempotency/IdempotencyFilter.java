package dev.nudge.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.auth.ApiKeys;
import dev.nudge.common.auth.BearerAuthMechanism;
import dev.nudge.common.auth.Caller;
import dev.nudge.common.http.RequestBodyFilter;
import dev.nudge.common.problem.ApiProblem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.HexFormat;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code Idempotency-Key} on POST: reads and checks the key and hashes the request it came with;
 * the endpoint ({@link Idempotent}) then runs it in one transaction with the key's record ({@link
 * IdempotencyInterceptor}). Which answers are kept is {@link SavedAnswers}' rule. An action the
 * endpoint refused rolls its transaction back; such a refusal, when kept, is stored here, on its
 * own (it wrote nothing a retry could repeat).
 */
public class IdempotencyFilter {

  public static final String HEADER = "Idempotency-Key";
  private static final Logger LOG = Logger.getLogger(IdempotencyFilter.class);

  private final IdempotencyStore store;
  private final Caller caller;
  private final ObjectMapper json;

  public IdempotencyFilter(IdempotencyStore store, Caller caller, ObjectMapper json) {
    this.store = store;
    this.caller = caller;
    this.json = json;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 200)
  public void check(ContainerRequestContext request) {
    String key = request.getHeaderString(HEADER);
    if (key == null || !"POST".equals(request.getMethod()) || !caller.authenticated()) {
      return;
    }
    if (key.isBlank() || key.length() > 255) {
      throw ApiProblem.validation(HEADER, "must be 1 to 255 characters");
    }
    byte[] body = (byte[]) request.getProperty(RequestBodyFilter.BODY);
    String hash = hash(request.getUriInfo().getRequestUri().getRawPath(), request, body);
    String scope = caller.idempotencyScope();
    String stored = ApiKeys.hash(key);
    IdempotentRequest.attach(
        request,
        new IdempotentRequest.Key(
            scope, stored, hash, AnswerSeal.key(credential(request), scope, key), key));
  }

  @ServerResponseFilter
  public void storeRefusal(ContainerRequestContext request, ContainerResponseContext response) {
    IdempotentRequest keyed = IdempotentRequest.of(request);
    if (keyed == null || !keyed.executed || keyed.stored) {
      return;
    }
    keyed.stored = true;
    String body = response.getEntity() instanceof String s ? s : null;
    if (!SavedAnswers.saved(
        response.getStatus(), Answers.problemType(response.getStatus(), body, json))) {
      // Refused before it executed: nothing needs protecting from a repeat, so the key stays
      // free for the corrected request, or for the retry after a 429's Retry-After.
      return;
    }
    try {
      MediaType type = response.getMediaType();
      store.save(
          keyed.key,
          new IdempotencyStore.Stored(
              keyed.key.requestHash(),
              response.getStatus(),
              type == null ? null : type.toString(),
              body,
              Answers.headers(response.getHeaders(), json)));
    } catch (SQLException | JsonProcessingException e) {
      LOG.warn("Could not record an idempotent refusal; a retry will run again", e);
    }
  }

  /**
   * The raw credential the request was authenticated with, read as {@link BearerAuthMechanism}
   * reads it: a bearer key or token, else a {@code ?token=}.
   */
  private static String credential(ContainerRequestContext request) {
    String authorization = request.getHeaderString("Authorization");
    if (authorization != null) {
      return BearerAuthMechanism.bearer(authorization);
    }
    String token = request.getUriInfo().getQueryParameters().getFirst("token");
    return token == null ? null : token.trim();
  }

  private static String hash(String path, ContainerRequestContext request, byte[] body) {
    MessageDigest sha = ApiKeys.sha256();
    sha.update((request.getMethod() + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
    String query = request.getUriInfo().getRequestUri().getRawQuery();
    if (query != null) {
      sha.update(("?" + query + "\n").getBytes(StandardCharsets.UTF_8));
    }
    if (body != null) {
      sha.update(body);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
