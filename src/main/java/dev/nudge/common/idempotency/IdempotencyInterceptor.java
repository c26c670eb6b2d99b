package dev.nudge.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs a POST sent with an {@code Idempotency-Key} in one transaction with its key: the check
 * (holding the key with a transaction-scoped advisory lock, reading its stored answer), the
 * endpoint's own writes and the answer it stores commit together, so no failure can leave writes
 * without their answer (a retry would run them twice) or an answer without its writes.
 *
 * <p>A stored answer is replayed; the same key with another request is a 422. A request with the
 * same key still running in another transaction is waited for (then its answer is replayed, or, if
 * it kept none, this one runs); after {@link #WAIT_MILLIS} the answer is a 409.
 */
@Idempotent
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class IdempotencyInterceptor {

  static final long WAIT_MILLIS = 10_000;
  private static final long POLL_MILLIS = 20;

  /** What one try found: the key held by a concurrent request, or the endpoint's result. */
  private record Attempt(boolean busy, Object result) {}

  /** Another answer was stored for the key while this request ran; its transaction rolls back. */
  private static final class Raced extends RuntimeException {
    Raced() {
      super(null, null, false, false);
    }
  }

  /** A checked exception of the endpoint, carried through the transaction's unchecked path. */
  private static final class Checked extends RuntimeException {
    Checked(Exception cause) {
      super(cause);
    }
  }

  @Inject Jdbc jdbc;
  @Inject IdempotencyStore store;
  @Inject ObjectMapper json;

  @AroundInvoke
  Object around(InvocationContext ctx) throws Exception {
    IdempotentRequest request = IdempotentRequest.current();
    if (request == null) {
      return ctx.proceed();
    }
    Idempotent.Unit unit = unit(ctx);
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    try {
      while (true) {
        Attempt attempt;
        try {
          attempt =
              unit == Idempotent.Unit.JDBC
                  ? jdbc.transaction(c -> attempt(c, request, ctx))
                  : QuarkusTransaction.requiringNew()
                      .call(() -> jdbc.call(c -> attempt(c, request, ctx)));
        } catch (Raced e) {
          request.executed = false;
          continue; // the answer stored first is found (and replayed) by the next attempt
        }
        if (!attempt.busy()) {
          return attempt.result();
        }
        if (System.currentTimeMillis() > deadline) {
          throw new ApiProblem(
                  ProblemType.IDEMPOTENCY_KEY_IN_USE,
                  "A request with this Idempotency-Key is still in progress; retry shortly.")
              .header("Retry-After", "1");
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (Checked e) {
      throw (Exception) e.getCause();
    }
  }

  private Attempt attempt(Connection c, IdempotentRequest request, InvocationContext ctx)
      throws SQLException {
    IdempotencyStore.Held held = store.hold(c, request.key);
    if (!held.locked()) {
      return new Attempt(true, null);
    }
    if (held.sealedForOther()) {
      throw new ApiProblem(
          ProblemType.IDEMPOTENCY_KEY_REUSE,
          "This Idempotency-Key was used with another API key or token; retry with the credential"
              + " that sent it, or use a new key.");
    }
    if (held.stored() != null) {
      if (!held.stored().requestHash().equals(request.key.requestHash())) {
        throw new ApiProblem(
            ProblemType.IDEMPOTENCY_KEY_REUSE,
            "This Idempotency-Key was used with a different request; use a new key.");
      }
      throw new IdempotentReplay(held.stored());
    }
    request.executed = true;
    Object result;
    try {
      result = ctx.proceed();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new Checked(e);
    }
    Answer answer = Answer.of(result, json, request.key.requestHash());
    if (SavedAnswers.saved(answer.stored().status(), answer.problemType(json))) {
      if (!store.save(c, request.key, answer.stored())) {
        // A duplicate's kept refusal, stored on its own after its transaction let the key go,
        // came first: this request's writes roll back, and it replays that answer.
        throw new Raced();
      }
      request.stored = true;
    }
    return new Attempt(false, answer.result());
  }

  private static Idempotent.Unit unit(InvocationContext ctx) {
    Idempotent on = ctx.getMethod().getAnnotation(Idempotent.class);
    if (on == null) {
      on = ctx.getMethod().getDeclaringClass().getAnnotation(Idempotent.class);
    }
    return on == null ? Idempotent.Unit.JTA : on.value();
  }

  /** The endpoint's answer as stored, and what it returns (the body serialized only once). */
  record Answer(IdempotencyStore.Stored stored, Object result) {

    static Answer of(Object result, ObjectMapper json, String requestHash) {
      try {
        if (result instanceof Response r) {
          Object entity = r.getEntity();
          String body = Answers.text(entity, json);
          MediaType type = r.getMediaType();
          if (entity != null && !(entity instanceof String)) {
            type = type == null ? MediaType.APPLICATION_JSON_TYPE : type;
            result = Response.fromResponse(r).entity(body).type(type).build();
          }
          return new Answer(
              new IdempotencyStore.Stored(
                  requestHash,
                  r.getStatus(),
                  type == null ? null : type.toString(),
                  body,
                  Answers.headers(r.getHeaders(), json)),
              result);
        }
        if (result == null) {
          return new Answer(new IdempotencyStore.Stored(requestHash, 204, null, null, "{}"), null);
        }
        // A plain entity is a 200 of JSON (@Produces of every resource here).
        return new Answer(
            new IdempotencyStore.Stored(
                requestHash, 200, MediaType.APPLICATION_JSON, Answers.text(result, json), "{}"),
            result);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("answer not serializable", e);
      }
    }

    String problemType(ObjectMapper json) {
      return Answers.problemType(stored.status(), stored.body(), json);
    }
  }
}
