package dev.nudge.common.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The stored answer of an {@code Idempotency-Key}, found by the key's check: it leaves the endpoint
 * as an exception (its transaction, which wrote nothing, rolls back) and {@link Mapper} answers it
 * as stored, whatever the endpoint's own return type.
 */
public final class IdempotentReplay extends RuntimeException {

  private final transient IdempotencyStore.Stored stored;

  IdempotentReplay(IdempotencyStore.Stored stored) {
    super("replayed", null, false, false);
    this.stored = stored;
  }

  /** Answers a replay. */
  public static class Mapper {

    private final ObjectMapper json;

    public Mapper(ObjectMapper json) {
      this.json = json;
    }

    @ServerExceptionMapper
    public Response replay(IdempotentReplay replay) {
      return Answers.replay(replay.stored, json);
    }
  }
}
