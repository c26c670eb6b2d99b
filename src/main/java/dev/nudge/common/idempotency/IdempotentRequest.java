package dev.nudge.common.idempotency;

import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

/**
 * The {@code Idempotency-Key} of the current request, as {@link IdempotencyFilter} read it, and how
 * far its handling got; kept as a property of the request.
 */
final class IdempotentRequest {

  private static final String PROPERTY = "nudge.idempotency";

  /**
   * The key's namespace, the key as stored (its SHA-256: the raw key is what seals the answer), the
   * hash of the request it was sent with, the answer's sealing key ({@link AnswerSeal}), and the
   * raw key, only to find a record stored before keys were hashed.
   */
  record Key(String scope, String key, String requestHash, byte[] seal, String raw) {}

  final Key key;

  /** The endpoint began executing the request under the key. */
  boolean executed;

  /** Its answer is stored, in the endpoint's transaction. */
  boolean stored;

  private IdempotentRequest(Key key) {
    this.key = key;
  }

  static void attach(jakarta.ws.rs.container.ContainerRequestContext request, Key key) {
    request.setProperty(PROPERTY, new IdempotentRequest(key));
  }

  /** The current request's key, or null when it has none (or no request is current). */
  static IdempotentRequest current() {
    ResteasyReactiveRequestContext request = CurrentRequestManager.get();
    return request == null ? null : (IdempotentRequest) request.getProperty(PROPERTY);
  }

  static IdempotentRequest of(jakarta.ws.rs.container.ContainerRequestContext request) {
    return (IdempotentRequest) request.getProperty(PROPERTY);
  }
}
